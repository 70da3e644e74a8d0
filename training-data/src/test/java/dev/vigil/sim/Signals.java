package dev.vigil.sim;

import java.util.Iterator;

/** Test helpers to pull channels out of a simulation. */
final class Signals {
    private Signals() {
    }

    static int channel(Simulation s, String name) {
        for (int i = 0; i < s.channels().size(); i++) {
            if (s.channels().get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** The whole channel, concatenated over every block. */
    static float[] collect(Simulation s, String name) {
        int ch = channel(s, name);
        int per = s.channels().get(ch).samplesPer(s.spec().blockSeconds());
        long blocks = s.blockCount();
        float[] out = new float[(int) (per * blocks)];
        Iterator<SimBlock> it = s.blocks();
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(it.next().samples()[ch], 0, out, b * per, per);
        }
        return out;
    }

    static double rms(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += x[i] * (double) x[i];
        }
        return Math.sqrt(s / (to - from));
    }

    static double kurtosis(float[] x, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m += x[i];
        }
        m /= to - from;
        double m2 = 0;
        double m4 = 0;
        for (int i = from; i < to; i++) {
            double d = (x[i] - m) * (x[i] - m);
            m2 += d;
            m4 += d * d;
        }
        m2 /= to - from;
        m4 /= to - from;
        return m4 / (m2 * m2);
    }
}
