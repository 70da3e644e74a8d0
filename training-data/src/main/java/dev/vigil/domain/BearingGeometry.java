package dev.vigil.domain;

/**
 * Rolling-element bearing geometry and its characteristic defect frequencies.
 *
 * @param balls number of rolling elements
 * @param ballDiameterMm rolling-element diameter
 * @param pitchDiameterMm pitch (cage) diameter
 * @param contactAngleDeg contact angle
 */
public record BearingGeometry(int balls, double ballDiameterMm, double pitchDiameterMm, double contactAngleDeg) {

    public BearingGeometry {
        if (balls < 3) {
            throw new IllegalArgumentException("bearing.balls must be >= 3, got " + balls);
        }
        if (!(ballDiameterMm > 0) || !(pitchDiameterMm > ballDiameterMm)) {
            throw new IllegalArgumentException("bearing needs 0 < ballDiameterMm < pitchDiameterMm, got "
                    + ballDiameterMm + " and " + pitchDiameterMm);
        }
        if (!(contactAngleDeg >= 0 && contactAngleDeg < 60)) {
            throw new IllegalArgumentException("bearing.contactAngleDeg must be in [0, 60), got " + contactAngleDeg);
        }
    }

    /** A deep-groove 6205, the textbook example. */
    public static BearingGeometry skf6205() {
        return new BearingGeometry(9, 7.94, 39.04, 0);
    }

    private double ratio() {
        return ballDiameterMm / pitchDiameterMm * Math.cos(Math.toRadians(contactAngleDeg));
    }

    /** Cage frequency as a multiple of shaft rate. */
    public double ftfOrder() {
        return 0.5 * (1 - ratio());
    }

    /** Outer-race ball-pass frequency as a multiple of shaft rate. */
    public double bpfoOrder() {
        return balls * 0.5 * (1 - ratio());
    }

    /** Inner-race ball-pass frequency as a multiple of shaft rate. */
    public double bpfiOrder() {
        return balls * 0.5 * (1 + ratio());
    }

    /** Ball spin frequency as a multiple of shaft rate (a ball defect shows at twice this). */
    public double bsfOrder() {
        double r = ratio();
        return pitchDiameterMm / (2 * ballDiameterMm) * (1 - r * r);
    }

    public double ftfHz(double shaftHz) {
        return ftfOrder() * shaftHz;
    }

    public double bpfoHz(double shaftHz) {
        return bpfoOrder() * shaftHz;
    }

    public double bpfiHz(double shaftHz) {
        return bpfiOrder() * shaftHz;
    }

    public double bsfHz(double shaftHz) {
        return bsfOrder() * shaftHz;
    }
}
