package dev.vigil.sim;

/**
 * A lightly damped structural mode as a two-pole resonator. A unit impulse rings with a peak of about 1 and
 * decays with the mode's damping ratio; white noise through it gives the resonance hump of a real spectrum.
 */
final class Resonator {
    private final double a1;
    private final double a2;
    private final double b;
    private double y1;
    private double y2;

    Resonator(double frequencyHz, double dampingRatio, double sampleRateHz) {
        double wn = 2 * Math.PI * frequencyHz / sampleRateHz;
        double wd = wn * Math.sqrt(1 - dampingRatio * dampingRatio);
        double r = Math.exp(-dampingRatio * wn);
        this.a1 = 2 * r * Math.cos(wd);
        this.a2 = -r * r;
        this.b = Math.sin(wd);
    }

    double step(double input) {
        double y = a1 * y1 + a2 * y2 + b * input;
        y2 = y1;
        y1 = y;
        return y;
    }
}
