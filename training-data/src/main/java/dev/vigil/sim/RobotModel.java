package dev.vigil.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Physics of a 6-axis arm: per joint, motor torque current from the rigid-body load (inertia, friction,
 * gravity with payload), the joint position, and the reducer's vibration with its gear-mesh frequency
 * locked to motor speed. Reducer wear adds mesh harmonics, torque ripple locked to position, impacts where
 * the damaged tooth region passes, and backlash knocks at every direction reversal. Backlash alone (play in the
 * drive train) knocks at reversals only; a spalled motor bearing strikes at its outer-race defect rate, set by
 * the motor's speed and independent of the payload.
 */
final class RobotModel implements MachineModel {
    private static final double TWO_PI = 2 * Math.PI;
    private static final double REF_MOTOR_RAD_S = TWO_PI * 50; // 3,000 rpm
    private static final double DAMAGE_WIDTH_DEG = 3.0;
    /** Outer-race defect order of a servo motor's deep-groove bearing (9 balls): BPFO = 3.6 x motor speed. */
    private static final double MOTOR_BPFO_ORDER = 3.6;

    private final RobotSpec spec;
    private final int axes;
    private final List<ChannelInfo> channels;
    private final List<Adc> adcs;
    private final RobotMotion motion;
    private final SplittableRandom noise;
    private final Resonator[] modes;
    private final double[] damageDeg;
    private final double[] refCurrent;
    private final double[] harmonicPhase;
    private final int[] wearFault; // per axis: index of its reducer-wear fault, or -1
    private final int[] backlashFault; // per axis: index of its backlash fault, or -1
    private final int[] bearingFault; // per axis: index of its motor-bearing fault, or -1
    private final double[] bearingPhase; // per axis: defect passes so far (impact at every whole number)
    private final double[] lastRelative;
    private final int[] lastMove;

    /**
     * @param machine randomness that makes this machine itself (mesh harmonic phases): fixed per machine id
     * @param rng randomness of this run (noise)
     */
    RobotModel(RobotSpec spec, List<FaultSpec> faults, SplittableRandom machine, SplittableRandom rng) {
        this.spec = spec;
        this.axes = spec.axes().size();
        this.noise = rng.split();
        this.motion = new RobotMotion(spec, rng.split().nextLong());
        SplittableRandom phases = machine.split();
        modes = new Resonator[axes];
        damageDeg = new double[axes];
        refCurrent = new double[axes];
        harmonicPhase = new double[axes];
        wearFault = new int[axes];
        backlashFault = new int[axes];
        bearingFault = new int[axes];
        bearingPhase = new double[axes];
        lastRelative = new double[axes];
        lastMove = new int[axes];
        for (int a = 0; a < axes; a++) {
            RobotSpec.Axis ax = spec.axes().get(a);
            modes[a] = new Resonator(ax.resonanceHz(), spec.resonanceDamping(), spec.vibrationRateHz());
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int w = 0; w < spec.waypointsDeg().size(); w++) {
                min = Math.min(min, motion.waypoint(w, a));
                max = Math.max(max, motion.waypoint(w, a));
            }
            // the damaged tooth region sits inside the travel so that the motion program crosses it
            damageDeg[a] = min + 0.43 * (max - min);
            refCurrent[a] = (ax.frictionNm() + (ax.gravityNm() + 10 * ax.payloadNmPerKg()) / ax.ratio()
                    + ax.inertiaKgm2() * 400) / ax.ktNmPerA();
            harmonicPhase[a] = phases.nextDouble() * TWO_PI;
            wearFault[a] = -1;
            backlashFault[a] = -1;
            bearingFault[a] = -1;
            lastMove[a] = -1;
        }
        for (int i = 0; i < faults.size(); i++) {
            int axis = faults.get(i).axis() - 1;
            switch (faults.get(i).type()) {
                case REDUCER_WEAR -> wearFault[axis] = i;
                case BACKLASH -> backlashFault[axis] = i;
                case JOINT_BEARING -> bearingFault[axis] = i;
                default -> { }
            }
        }
        List<ChannelInfo> ch = new ArrayList<>();
        List<Adc> ad = new ArrayList<>();
        Adc accel = new Adc(spec.accelRangeG(), spec.adcBits());
        Adc current = new Adc(spec.currentRangeA(), spec.adcBits());
        for (int a = 1; a <= axes; a++) {
            RobotSpec.Axis ax = spec.axes().get(a - 1);
            ch.add(new ChannelInfo("j" + a + "_vibration", "g", spec.vibrationRateHz(),
                    "joint " + a + " " + ax.reducer().id() + " reducer housing", ChannelInfo.VIBRATION));
            ad.add(accel);
        }
        for (int a = 1; a <= axes; a++) {
            ch.add(new ChannelInfo("j" + a + "_current", "A", spec.currentRateHz(),
                    "joint " + a + " servo torque current (Iq)", ChannelInfo.CURRENT));
            ad.add(current);
        }
        for (int a = 1; a <= axes; a++) {
            ch.add(new ChannelInfo("j" + a + "_position", "deg", spec.currentRateHz(),
                    "joint " + a + " encoder", ChannelInfo.POSITION));
            ad.add(null);
        }
        ch.add(new ChannelInfo("payload_kg", "kg", spec.tagRateHz(), "robot controller", ChannelInfo.TAG));
        ch.add(new ChannelInfo("cycle", "1", spec.tagRateHz(), "robot controller: program cycle count", ChannelInfo.TAG));
        ch.add(new ChannelInfo("move", "1", spec.tagRateHz(), "robot controller: move index in the cycle", ChannelInfo.TAG));
        ch.add(new ChannelInfo("program", "1", spec.tagRateHz(), "robot controller: program number", ChannelInfo.TAG));
        ad.add(null);
        ad.add(null);
        ad.add(null);
        ad.add(null);
        channels = List.copyOf(ch);
        adcs = java.util.Collections.unmodifiableList(ad);
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public List<Adc> adcs() {
        return adcs;
    }

    double cycleSeconds() {
        return motion.cycleSeconds();
    }

    double damagePositionDeg(int axis) {
        return damageDeg[axis - 1];
    }

    private double wear(double[] severity, int a) {
        return wearFault[a] < 0 ? 0 : severity[wearFault[a]];
    }

    private static double of(int[] fault, double[] severity, int a) {
        return fault[a] < 0 ? 0 : severity[fault[a]];
    }

    @Override
    public void fill(double startS, double[] severity, float[][] out) {
        fillCurrentAndPosition(startS, severity, out);
        fillVibration(startS, severity, out);
        int tags = out[3 * axes].length;
        for (int i = 0; i < tags; i++) {
            motion.eval(startS + (i + 0.5) / spec.tagRateHz());
            out[3 * axes][i] = (float) motion.payloadKg;
            out[3 * axes + 1][i] = motion.cycle;
            out[3 * axes + 2][i] = motion.move;
            out[3 * axes + 3][i] = motion.programTag;
        }
    }

    private double motorTorque(RobotSpec.Axis ax, int a, double wear) {
        double wm = motion.qd[a] * ax.ratio() * Math.PI / 180;
        double am = motion.qdd[a] * ax.ratio() * Math.PI / 180;
        double friction = ax.frictionNm() * (1 + 0.6 * wear) * Math.tanh(wm / 2.0) + ax.viscousNmsPerRad() * wm;
        double gravity = (ax.gravityNm() + ax.payloadNmPerKg() * motion.payloadKg) * Math.cos(Math.toRadians(motion.q[a]));
        return ax.inertiaKgm2() * am + friction + gravity / ax.ratio();
    }

    private double damageBump(int a) {
        double d = (motion.q[a] - damageDeg[a]) / DAMAGE_WIDTH_DEG;
        return Math.exp(-0.5 * d * d);
    }

    private void fillCurrentAndPosition(double startS, double[] severity, float[][] out) {
        int n = out[axes].length;
        double dt = 1 / spec.currentRateHz();
        for (int i = 0; i < n; i++) {
            motion.eval(startS + i * dt);
            for (int a = 0; a < axes; a++) {
                RobotSpec.Axis ax = spec.axes().get(a);
                double wear = wear(severity, a);
                double iq = motorTorque(ax, a, wear) / ax.ktNmPerA();
                if (wear > 0) {
                    double motorRev = ax.ratio() * motion.q[a] / 360;
                    double direction = Math.signum(motion.qd[a]);
                    iq += wear * refCurrent[a] * (0.1 * Math.sin(TWO_PI * ax.meshOrder() * motorRev)
                            + 0.25 * damageBump(a) * direction);
                }
                out[axes + a][i] = (float) (iq + spec.currentNoiseA() * noise.nextGaussian());
                out[2 * axes + a][i] = (float) motion.q[a];
            }
        }
    }

    private void fillVibration(double startS, double[] severity, float[][] out) {
        int n = out[0].length;
        double dt = 1 / spec.vibrationRateHz();
        for (int i = 0; i < n; i++) {
            motion.eval(startS + i * dt);
            for (int a = 0; a < axes; a++) {
                RobotSpec.Axis ax = spec.axes().get(a);
                double wear = wear(severity, a);
                double motorRadS = motion.qd[a] * ax.ratio() * Math.PI / 180;
                double speed = Math.abs(motorRadS) / REF_MOTOR_RAD_S;
                double torque = Math.abs(motorTorque(ax, a, wear)) / Math.max(1e-6, refCurrent[a] * ax.ktNmPerA());
                double motorRev = ax.ratio() * motion.q[a] / 360;
                double mesh = TWO_PI * ax.meshOrder() * motorRev;
                double bump = damageBump(a);
                double vib = ax.meshAmplitudeG() * speed * (0.5 + torque) * (1 + 1.5 * wear * bump)
                        * (Math.cos(mesh) + 0.35 * (1 + 3 * wear) * Math.cos(2 * mesh + harmonicPhase[a])
                        + 0.5 * wear * Math.cos(3 * mesh));
                vib += 0.005 * speed * speed * Math.cos(TWO_PI * motorRev);

                double impulse = 0;
                // a motor bearing's outer-race defect: struck at BPFO of the motor's speed, however heavy the load
                double spall = of(bearingFault, severity, a);
                if (spall > 0) {
                    double before = bearingPhase[a];
                    bearingPhase[a] += MOTOR_BPFO_ORDER * Math.abs(motorRadS) / TWO_PI * dt;
                    if (Math.floor(bearingPhase[a]) != Math.floor(before)) {
                        impulse += 0.6 * spall;
                    }
                }
                double relative = motion.q[a] - damageDeg[a];
                if (wear > 0 && lastRelative[a] != 0 && Math.signum(relative) != Math.signum(lastRelative[a])) {
                    impulse += 1.2 * wear; // the damaged tooth region passes through mesh
                }
                lastRelative[a] = relative;
                if (motion.moving && motion.move != lastMove[a]) {
                    lastMove[a] = motion.move;
                    int dir = motion.direction(motion.move, a);
                    if (dir != 0 && dir != previousDirection(motion.move, a)) {
                        // backlash taken up at a reversal: a little always, more with wear or play
                        impulse += 0.03 + 1.5 * wear + 2.5 * of(backlashFault, severity, a);
                    }
                }
                double structural = 0.01 * (0.2 + speed) * noise.nextGaussian();
                vib += modes[a].step(impulse + structural);
                out[a][i] = (float) (vib + spec.accelNoiseG() * noise.nextGaussian());
            }
        }
    }

    private int previousDirection(int move, int axis) {
        int moves = motion.moves();
        for (int k = 1; k <= moves; k++) {
            int d = motion.direction(move - k, axis);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }
}
