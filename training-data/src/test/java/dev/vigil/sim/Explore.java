package dev.vigil.sim;

import java.util.Iterator;
import java.util.List;

class Explore {
    static float[] collect(Simulation s, int channel, int blocks) {
        Iterator<SimBlock> it = s.blocks();
        int per = s.channels().get(channel).samplesPer(s.spec().blockSeconds());
        float[] out = new float[per * blocks];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(it.next().samples()[channel], 0, out, b * per, per);
        }
        return out;
    }

    public static void main(String[] a) {
        CncSpec spec = CncSpec.defaults("cnc-1").withConstantSpeed(6000, 50);
        double fr = 100;
        for (FaultType t : List.of(FaultType.BEARING_OUTER, FaultType.BEARING_INNER, FaultType.BEARING_BALL)) {
            for (double sev : new double[]{0, 0.05, 0.3, 1.0}) {
                var b = Simulation.builder(spec).lifeDurationS(4).seed(3);
                if (sev > 0) b.fault(new FaultSpec(t, 0, 0, Progression.STEP, sev, null, 0));
                Simulation s = b.build();
                float[] x = collect(s, 0, 40);
                int n = 65536;
                double[] env = Spectra.envelope(x, x.length - n, n, 25600, 3700, 8000);
                double target = switch (t) { case BEARING_OUTER -> spec.bearing().bpfoHz(fr); case BEARING_INNER -> spec.bearing().bpfiHz(fr); default -> 2 * spec.bearing().bsfHz(fr); };
                double pk = Spectra.peak(env, 25600, n, target * 0.96, target * 1.01);
                double pkHz = Spectra.peakHz(env, 25600, n, 10, 2000);
                double fl = Spectra.floor(env, 25600, n, 10, 2000);
                double rms = 0; for (float v : x) rms += v * v; rms = Math.sqrt(rms / x.length);
                System.out.printf("%s sev %.2f target %.1f peakInBand %.4f globalPeakHz %.1f floor %.5f ratio %.1f rms %.3f%n", t, sev, target, pk, pkHz, fl, pk / fl, rms);
            }
        }
    }
}
