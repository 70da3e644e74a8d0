package dev.vigil.sim;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Corrupts measured channels the way failing sensors and cabling do: dropouts (NaN, no data), a stuck
 * output, isolated spikes, clipping against a reduced range, and gain drift. Intermittent faults come in
 * bursts whose share of time grows with severity; at severity 1 they are permanent.
 */
final class SensorFaults {
    private static final double STAY_PROBABILITY = 0.7;
    private static final double SPIKES_PER_SECOND = 20;

    private final List<FaultSpec> faults;
    private final int[] channel;
    private final double[] fullScale;
    private final SplittableRandom rng;
    private final boolean[] active;     // per fault: currently in a burst
    private final double[] healthyRms;  // per channel: RMS before any sensor fault, for clipping level
    private final float[] lastGood;
    private final double blockSeconds;

    SensorFaults(List<FaultSpec> faults, List<ChannelInfo> channels, List<Adc> adcs, double blockSeconds,
                 SplittableRandom rng) {
        this.faults = faults;
        this.blockSeconds = blockSeconds;
        this.rng = rng;
        this.channel = new int[faults.size()];
        this.active = new boolean[faults.size()];
        this.fullScale = new double[channels.size()];
        this.healthyRms = new double[channels.size()];
        this.lastGood = new float[channels.size()];
        for (int c = 0; c < channels.size(); c++) {
            fullScale[c] = adcs.get(c) == null ? Double.MAX_VALUE : adcs.get(c).fullScale();
        }
        for (int i = 0; i < faults.size(); i++) {
            FaultSpec f = faults.get(i);
            channel[i] = -1;
            if (f.type().isSensorFault()) {
                for (int c = 0; c < channels.size(); c++) {
                    if (channels.get(c).name().equals(f.channel())) {
                        channel[i] = c;
                    }
                }
            }
        }
    }

    void apply(double[] severity, float[][] block) {
        for (int c = 0; c < block.length; c++) {
            boolean faulted = false;
            for (int i = 0; i < faults.size(); i++) {
                faulted |= channel[i] == c && severity[i] > 0;
            }
            if (!faulted) {
                double rms = rms(block[c]);
                healthyRms[c] = healthyRms[c] == 0 ? rms : 0.9 * healthyRms[c] + 0.1 * rms;
            }
        }
        for (int i = 0; i < faults.size(); i++) {
            int c = channel[i];
            double s = severity[i];
            if (c < 0) {
                continue;
            }
            float[] x = block[c];
            if (s <= 0) {
                active[i] = false;
                continue;
            }
            switch (faults.get(i).type()) {
                case SENSOR_DROPOUT -> {
                    if (burst(i, s)) {
                        java.util.Arrays.fill(x, Float.NaN);
                    }
                }
                case SENSOR_STUCK -> {
                    if (burst(i, s)) {
                        java.util.Arrays.fill(x, lastGood[c]);
                    }
                }
                case SENSOR_SPIKES -> {
                    int count = poisson(s * SPIKES_PER_SECOND * blockSeconds);
                    for (int k = 0; k < count; k++) {
                        int at = rng.nextInt(x.length);
                        double level = Math.min(fullScale[c], Math.max(20 * healthyRms[c], 1.0));
                        x[at] = (float) ((rng.nextBoolean() ? 1 : -1) * level * (0.6 + 0.4 * rng.nextDouble()));
                    }
                }
                case SENSOR_CLIPPING -> {
                    double range = Math.min(fullScale[c], 1e6);
                    double clip = Math.pow(range, 1 - s) * Math.pow(Math.max(1e-6, 1.5 * healthyRms[c]), s);
                    for (int k = 0; k < x.length; k++) {
                        x[k] = (float) Math.max(-clip, Math.min(clip, x[k]));
                    }
                }
                case SENSOR_GAIN_DRIFT -> {
                    float gain = (float) (1 + 0.8 * s);
                    for (int k = 0; k < x.length; k++) {
                        x[k] *= gain;
                    }
                }
                default -> throw new IllegalStateException("not a sensor fault: " + faults.get(i).type());
            }
        }
        for (int c = 0; c < block.length; c++) {
            float[] x = block[c];
            if (x.length > 0 && !Float.isNaN(x[x.length - 1])) {
                lastGood[c] = x[x.length - 1];
            }
        }
    }

    /** Two-state burst process whose long-run share of time in the faulty state equals the severity. */
    private boolean burst(int fault, double severity) {
        if (severity >= 0.999) {
            active[fault] = true;
            return true;
        }
        double enter = Math.min(1, severity * (1 - STAY_PROBABILITY) / (1 - severity));
        active[fault] = active[fault] ? rng.nextDouble() < STAY_PROBABILITY : rng.nextDouble() < enter;
        return active[fault];
    }

    private int poisson(double mean) {
        int k = 0;
        double p = Math.exp(-mean);
        double u = rng.nextDouble();
        double cdf = p;
        while (u > cdf && k < 1000) {
            k++;
            p *= mean / k;
            cdf += p;
        }
        return k;
    }

    private static double rms(float[] x) {
        double sum = 0;
        int n = 0;
        for (float v : x) {
            if (!Float.isNaN(v)) {
                sum += v * (double) v;
                n++;
            }
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }
}
