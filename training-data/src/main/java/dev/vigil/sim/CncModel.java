package dev.vigil.sim;

import dev.vigil.domain.BearingGeometry;
import dev.vigil.domain.FaultType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Physics of an inverter-driven machining spindle.
 *
 * <p>Vibration: shaft harmonics from residual imbalance (radial, rotating), misalignment (2x and axial),
 * looseness (harmonic series and half orders), tooth-pass lines while cutting, bearing defect impulse trains
 * that ring three structural modes, broadband machine noise through the same modes, chatter near a tool mode
 * when the tool wears, sensor noise. Current: the drive's output frequency with 5th/7th harmonics, load-scaled,
 * amplitude-modulated at the shaft rate by eccentricity (sidebands at f_supply +/- k f_rot) and weakly at BPFO.
 */
final class CncModel implements MachineModel {
    private static final double REF_HZ = 200.0; // 12,000 rpm: the speed at which amplitudes are specified
    private static final double TWO_PI = 2 * Math.PI;
    private static final double BEARING_IMPACT_G = 2.0;
    private static final double[] AXIS_GAIN = {1.0, 0.7, 0.35};
    private static final double[] PHASE_GAIN = {1.0, 0.985, 1.012};

    private final CncSpec spec;
    private final List<ChannelInfo> channels;
    private final List<Adc> adcs;
    private final CncProgram program;
    private final SplittableRandom noise;
    private final int[] faultKind; // per simulation fault: index into FaultType values, -1 for sensor faults
    private final double[] harmonicCos; // random but fixed phases of each shaft order
    private final double[] harmonicSin;
    private final Resonator[] modes = new Resonator[3];
    private final Resonator chatter;
    private final BearingTrain[] bearings;

    // state carried between blocks
    private double rpm;
    private double load;
    private double theta;      // shaft phase at accel rate, cycles
    private double thetaHalf;  // half-order phase, cycles
    private double thetaCur;   // shaft phase at current rate, cycles
    private double psi;        // electrical phase, cycles
    private double bearingPhaseCur;

    /**
     * @param machine randomness that makes this machine itself (part program, harmonic phases, bearing slip):
     *                fixed per machine id
     * @param rng randomness of this run (noise, impact jitter)
     */
    CncModel(CncSpec spec, List<FaultSpec> faults, SplittableRandom machine, SplittableRandom rng) {
        this.spec = spec;
        SplittableRandom programRng = machine.split();
        long programSeed = spec.program() == null ? 0 : spec.program().seed();
        this.program = CncProgram.of(spec, programSeed != 0 ? new SplittableRandom(programSeed) : programRng);
        this.noise = rng.split();
        SplittableRandom phases = machine.split();
        int orders = Math.max(10, 2 * spec.toolFlutes()) + 1;
        harmonicCos = new double[orders];
        harmonicSin = new double[orders];
        for (int k = 1; k < orders; k++) {
            double p = phases.nextDouble() * TWO_PI;
            harmonicCos[k] = Math.cos(p);
            harmonicSin[k] = Math.sin(p);
        }
        for (int a = 0; a < 3; a++) {
            modes[a] = new Resonator(spec.resonanceHz().get(a), spec.resonanceDamping(), spec.accelRateHz());
        }
        chatter = new Resonator(spec.chatterHz(), 0.01, spec.accelRateHz());
        faultKind = new int[faults.size()];
        List<BearingTrain> trains = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            FaultType t = faults.get(i).type();
            faultKind[i] = t.isSensorFault() ? -1 : t.ordinal();
            if (t == FaultType.BEARING_OUTER || t == FaultType.BEARING_INNER || t == FaultType.BEARING_BALL) {
                trains.add(new BearingTrain(t, i, spec.bearing(), machine.split(), rng.split()));
            }
        }
        bearings = trains.toArray(new BearingTrain[0]);

        channels = List.of(
                new ChannelInfo("accel_x", "g", spec.accelRateHz(), "spindle front bearing housing, radial X", ChannelInfo.VIBRATION),
                new ChannelInfo("accel_y", "g", spec.accelRateHz(), "spindle front bearing housing, radial Y", ChannelInfo.VIBRATION),
                new ChannelInfo("accel_z", "g", spec.accelRateHz(), "spindle front bearing housing, axial Z", ChannelInfo.VIBRATION),
                new ChannelInfo("current_u", "A", spec.currentRateHz(), "spindle motor phase U", ChannelInfo.CURRENT),
                new ChannelInfo("current_v", "A", spec.currentRateHz(), "spindle motor phase V", ChannelInfo.CURRENT),
                new ChannelInfo("current_w", "A", spec.currentRateHz(), "spindle motor phase W", ChannelInfo.CURRENT),
                new ChannelInfo("speed_rpm", "rpm", spec.tagRateHz(), "spindle drive", ChannelInfo.TAG),
                new ChannelInfo("load_pct", "%", spec.tagRateHz(), "spindle drive", ChannelInfo.TAG),
                new ChannelInfo("tool", "1", spec.tagRateHz(), "CNC controller", ChannelInfo.TAG),
                new ChannelInfo("mode", "1", spec.tagRateHz(), "CNC controller: 0 idle, 1 air, 2 cut, 3 tool change", ChannelInfo.TAG),
                new ChannelInfo("supply_hz", "Hz", spec.tagRateHz(), "spindle drive output frequency", ChannelInfo.TAG));
        Adc accel = new Adc(spec.accelRangeG(), spec.adcBits());
        Adc current = new Adc(spec.currentRangeA(), spec.adcBits());
        List<Adc> a = new ArrayList<>();
        for (ChannelInfo c : channels) {
            a.add(switch (c.role()) {
                case ChannelInfo.VIBRATION -> accel;
                case ChannelInfo.CURRENT -> current;
                default -> null;
            });
        }
        adcs = java.util.Collections.unmodifiableList(a);
    }

    @Override
    public List<ChannelInfo> channels() {
        return channels;
    }

    @Override
    public List<Adc> adcs() {
        return adcs;
    }

    List<ProgramStep> programSteps() {
        return program.steps();
    }

    private double severity(double[] severity, FaultType type) {
        double s = 0;
        for (int i = 0; i < faultKind.length; i++) {
            if (faultKind[i] == type.ordinal()) {
                s = Math.max(s, severity[i]);
            }
        }
        return s;
    }

    @Override
    public void fill(double startS, double[] severity, float[][] out) {
        double blockS = spec.blockSeconds();
        ProgramStep step = program.at(startS);
        double rpm0 = rpm;
        double maxDelta = spec.maxAccelRpmPerS() * blockS;
        double rpm1 = rpm0 + Math.max(-maxDelta, Math.min(maxDelta, step.rpm() - rpm0));
        boolean cutting = step.mode() == ProgramStep.Mode.CUT && rpm1 > 0.5 * step.rpm();
        double wear = severity(severity, FaultType.TOOL_WEAR);
        double imb = severity(severity, FaultType.IMBALANCE);
        double mis = severity(severity, FaultType.MISALIGNMENT);
        double loose = severity(severity, FaultType.LOOSENESS);
        double outer = severity(severity, FaultType.BEARING_OUTER);

        // Cutting load lags the command a little; a worn tool needs more power; accelerating the spindle costs torque.
        double targetLoad = (cutting ? step.loadPct() * (1 + 0.5 * wear) : step.loadPct())
                + 40 * Math.abs(rpm1 - rpm0) / maxDelta * (rpm1 > 0 ? 1 : 0);
        double load0 = load;
        double load1 = load0 + (targetLoad - load0) * (1 - Math.exp(-blockS / 0.2));

        fillVibration(out, rpm0, rpm1, load1, cutting, wear, imb, mis, loose, severity);
        fillCurrent(out, rpm0, rpm1, load0, load1, imb, mis, loose, outer);

        int tags = out[6].length;
        for (int i = 0; i < tags; i++) {
            double u = (i + 0.5) / tags;
            double r = rpm0 + (rpm1 - rpm0) * u;
            out[6][i] = (float) r;
            out[7][i] = (float) (load0 + (load1 - load0) * u);
            out[8][i] = step.tool();
            out[9][i] = step.mode().code();
            out[10][i] = (float) (r > 0 ? spec.polePairs() * r / 60 * (1 + slip(load0 + (load1 - load0) * u)) : 0);
        }
        rpm = rpm1;
        load = load1;
    }

    private static double slip(double loadPct) {
        return 0.005 + 0.025 * Math.max(0, loadPct) / 100;
    }

    private void fillVibration(float[][] out, double rpm0, double rpm1, double loadPct, boolean cutting, double wear,
                               double imb, double mis, double loose, double[] severity) {
        int n = out[0].length;
        double dt = 1 / spec.accelRateHz();
        double fr0 = rpm0 / 60;
        double fr1 = rpm1 / 60;
        double resImb = spec.residualImbalanceG();
        int flutes = spec.toolFlutes();
        int maxOrder = harmonicCos.length - 1;
        double cutFactor = cutting ? Math.max(0, loadPct) / 50 : 0;
        double toothPass = 0.04 * cutFactor * (1 + 2 * wear);
        double chatterIn = cutting ? 0.02 * wear * wear * cutFactor : 0;
        double sensor = spec.accelNoiseG();
        for (BearingTrain b : bearings) {
            b.severity = severity[b.faultIndex];
        }
        double[] cosK = new double[maxOrder + 1];
        double[] sinK = new double[maxOrder + 1];
        for (int i = 0; i < n; i++) {
            double fr = fr0 + (fr1 - fr0) * (i + 0.5) / n;
            theta += fr * dt;
            theta -= Math.floor(theta);
            thetaHalf += 0.5 * fr * dt;
            thetaHalf -= Math.floor(thetaHalf);
            double s = fr / REF_HZ;
            double s2 = s * s;

            double x = 0;
            double y = 0;
            double z = 0;
            if (fr > 0.5) {
                double c1 = Math.cos(TWO_PI * theta);
                double s1 = Math.sin(TWO_PI * theta);
                cosK[0] = 1;
                sinK[0] = 0;
                cosK[1] = c1;
                sinK[1] = s1;
                for (int k = 2; k <= maxOrder; k++) {
                    cosK[k] = 2 * c1 * cosK[k - 1] - cosK[k - 2];
                    sinK[k] = 2 * c1 * sinK[k - 1] - sinK[k - 2];
                }
                double a = resImb * s2;
                // order amplitudes: radial x/y and axial z
                double r1 = a * (1 + 14 * imb + 1.5 * mis + 4 * loose);
                double z1 = a * (0.15 * (1 + 14 * imb) + 4 * mis);
                double r2 = a * (0.3 + 3 * mis + 3.5 * loose);
                double z2 = a * (0.1 + 6 * mis);
                double r3 = a * (0.12 + 0.5 * mis + 3 * loose);
                x += r1 * cosP(cosK, sinK, 1) + r2 * cosP(cosK, sinK, 2) + r3 * cosP(cosK, sinK, 3);
                y += 0.9 * r1 * sinP(cosK, sinK, 1) + r2 * sinP(cosK, sinK, 2) + r3 * sinP(cosK, sinK, 3);
                z += z1 * cosP(cosK, sinK, 1) + z2 * cosP(cosK, sinK, 2);
                if (loose > 0) {
                    for (int k = 4; k <= 10; k++) {
                        double lk = a * loose * 5 * Math.pow(k, -0.7);
                        x += 0.7 * lk * cosP(cosK, sinK, k);
                        y += lk * sinP(cosK, sinK, k);
                    }
                    // half orders 0.5x, 1.5x, 2.5x from the clipped (rattling) response of a loose joint
                    double ch = Math.cos(TWO_PI * thetaHalf);
                    double sh = Math.sin(TWO_PI * thetaHalf);
                    double half = a * loose * 3;
                    double h1 = ch;
                    double h3 = ch * cosK[1] - sh * sinK[1];
                    double h5 = ch * cosK[2] - sh * sinK[2];
                    y += half * (h1 + 0.7 * h3 + 0.5 * h5);
                    x += 0.6 * half * (h1 + 0.7 * h3 + 0.5 * h5);
                }
                if (toothPass > 0 && cutting) {
                    x += toothPass * cosP(cosK, sinK, flutes) + 0.5 * toothPass * cosP(cosK, sinK, 2 * flutes);
                    y += toothPass * sinP(cosK, sinK, flutes) + 0.5 * toothPass * sinP(cosK, sinK, 2 * flutes);
                }
            }

            double excitation = 0;
            for (BearingTrain b : bearings) {
                excitation += b.step(fr, theta, dt);
            }
            double machineNoise = 0.012 * (0.3 + s) + (cutting ? 0.02 * cutFactor * (1 + wear) : 0);
            double chat = chatterIn > 0 ? chatter.step(chatterIn * noise.nextGaussian()) : 0;
            x += modes[0].step(AXIS_GAIN[0] * excitation + machineNoise * noise.nextGaussian()) + chat;
            y += modes[1].step(AXIS_GAIN[1] * excitation + machineNoise * noise.nextGaussian()) + 0.8 * chat;
            z += modes[2].step(AXIS_GAIN[2] * excitation + machineNoise * noise.nextGaussian()) + 0.3 * chat;

            out[0][i] = (float) (x + sensor * noise.nextGaussian());
            out[1][i] = (float) (y + sensor * noise.nextGaussian());
            out[2][i] = (float) (z + sensor * noise.nextGaussian());
        }
    }

    private double cosP(double[] cosK, double[] sinK, int k) {
        return cosK[k] * harmonicCos[k] - sinK[k] * harmonicSin[k];
    }

    private double sinP(double[] cosK, double[] sinK, int k) {
        return sinK[k] * harmonicCos[k] + cosK[k] * harmonicSin[k];
    }

    private void fillCurrent(float[][] out, double rpm0, double rpm1, double load0, double load1,
                             double imb, double mis, double loose, double outer) {
        int n = out[3].length;
        double dt = 1 / spec.currentRateHz();
        double bpfo = spec.bearing().bpfoOrder();
        // eccentricity sidebands: about -50 dB on a healthy motor, up to about -25 dB with a severe shaft fault
        double m1 = 0.0032 * (1 + 14 * imb + 6 * mis + 6 * loose);
        double m2 = 0.0016 * (1 + 10 * mis + 6 * loose);
        double mb = 0.002 * outer;
        double noiseA = spec.currentNoiseA();
        for (int i = 0; i < n; i++) {
            double u = (i + 0.5) / n;
            double fr = (rpm0 + (rpm1 - rpm0) * u) / 60;
            double loadPct = load0 + (load1 - load0) * u;
            double fe = spec.polePairs() * fr * (1 + slip(loadPct));
            psi += fe * dt;
            psi -= Math.floor(psi);
            thetaCur += fr * dt;
            thetaCur -= Math.floor(thetaCur);
            bearingPhaseCur += bpfo * fr * dt;
            bearingPhaseCur -= Math.floor(bearingPhaseCur);
            double amp = 0;
            if (fr > 0.1) {
                double iLoad = spec.ratedLoadCurrentA() * Math.max(0, loadPct) / 100;
                amp = Math.sqrt(2) * Math.sqrt(spec.noLoadCurrentA() * spec.noLoadCurrentA() + iLoad * iLoad);
            }
            double modulation = 1 + 2 * m1 * Math.cos(TWO_PI * thetaCur) + 2 * m2 * Math.cos(2 * TWO_PI * thetaCur)
                    + 2 * mb * Math.cos(TWO_PI * bearingPhaseCur);
            for (int p = 0; p < 3; p++) {
                double angle = TWO_PI * psi - p * TWO_PI / 3;
                double wave = Math.sin(angle) * modulation + 0.03 * Math.sin(5 * angle) + 0.02 * Math.sin(7 * angle);
                out[3 + p][i] = (float) (PHASE_GAIN[p] * amp * wave + noiseA * noise.nextGaussian());
            }
        }
    }

    /** The impulse train of one bearing defect, with slip and cycle-to-cycle jitter. */
    private static final class BearingTrain {
        private final FaultType type;
        private final int faultIndex;
        private final double order;
        private final double cageOrder;
        private final double slip;
        private final SplittableRandom rng;
        private double phase;
        private double cagePhase;
        private double jitter;
        double severity;

        BearingTrain(FaultType type, int faultIndex, BearingGeometry g, SplittableRandom machine, SplittableRandom rng) {
            this.type = type;
            this.faultIndex = faultIndex;
            this.order = switch (type) {
                case BEARING_OUTER -> g.bpfoOrder();
                case BEARING_INNER -> g.bpfiOrder();
                default -> 2 * g.bsfOrder();
            };
            this.cageOrder = g.ftfOrder();
            this.rng = rng;
            // rolling elements skid: the real defect rate sits 1-3 % below the kinematic one
            this.slip = -(0.01 + 0.02 * machine.nextDouble());
            this.phase = rng.nextDouble();
        }

        double step(double fr, double shaftPhase, double dt) {
            cagePhase += cageOrder * fr * dt;
            cagePhase -= Math.floor(cagePhase);
            if (severity <= 0 || fr <= 0.5) {
                return 0;
            }
            phase += order * fr * dt * (1 + slip + jitter);
            if (phase < 1) {
                return 0;
            }
            phase -= Math.floor(phase);
            jitter = 0.004 * rng.nextGaussian();
            double amplitude = BEARING_IMPACT_G * severity * Math.sqrt(fr / REF_HZ);
            return switch (type) {
                // the inner race turns with the shaft, so its defect enters and leaves the load zone once a turn
                case BEARING_INNER -> 0.7 * amplitude * 0.5 * (1 + Math.cos(2 * Math.PI * shaftPhase));
                // a ball defect is carried through the load zone by the cage
                case BEARING_BALL -> 0.6 * amplitude * 0.5 * (1 + Math.cos(2 * Math.PI * cagePhase));
                default -> amplitude;
            };
        }
    }
}
