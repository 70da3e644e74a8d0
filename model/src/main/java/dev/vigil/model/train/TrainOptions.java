package dev.vigil.model.train;

import dev.vigil.model.calibrate.Calibration;
import dev.vigil.model.data.InputOptions;
import dev.vigil.model.data.RecordingInput;
import dev.vigil.model.detect.DetectorKind;
import dev.vigil.model.explain.IsoZone;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code vigil train} was asked to do.
 *
 * @param inputs recordings or CSV files
 * @param input how to read them
 * @param detector autoencoder, pca, or auto
 * @param seed random seed (same inputs and seed: same model)
 * @param windowSeconds waveform window, or {@link #AUTO_SECONDS} to choose it from the data
 * @param hopSeconds waveform hop, or {@link #AUTO_SECONDS}
 * @param windowRows tabular window K
 * @param isoClass ISO 10816 machine class for zone reporting, or null
 * @param maxObservations cap on observations kept for fitting (larger inputs are thinned evenly)
 * @param falseAlarmsPerWeek target false alarms per week on healthy running, which sets the warning level
 */
public record TrainOptions(List<Path> inputs, InputOptions input, String detector, long seed, double windowSeconds,
                           double hopSeconds, int windowRows, IsoZone.MachineClass isoClass, int maxObservations,
                           double falseAlarmsPerWeek) {
    public static final String AUTO = "auto";
    /** Window or hop chosen from the data: 1 s, or for a robot one motion cycle every half cycle. */
    public static final double AUTO_SECONDS = RecordingInput.AUTO_SECONDS;

    public TrainOptions {
        inputs = List.copyOf(inputs);
        if (!(windowSeconds >= 0) || !(hopSeconds >= 0) || Double.isInfinite(windowSeconds)
                || Double.isInfinite(hopSeconds)) {
            throw new IllegalArgumentException("window and hop must be > 0 seconds (or " + AUTO_SECONDS + ": chosen from the data)");
        }
        if (!(falseAlarmsPerWeek > 0) || Double.isInfinite(falseAlarmsPerWeek)) {
            throw new IllegalArgumentException("--false-alarms-per-week must be a number > 0, got " + falseAlarmsPerWeek);
        }
        if (windowRows < 1) {
            throw new IllegalArgumentException("window rows must be >= 1");
        }
        if (!detector.equals(AUTO) && Arrays.stream(DetectorKind.values()).noneMatch(k -> k.id().equals(detector))) {
            throw new IllegalArgumentException("unknown detector '" + detector
                    + "' (expected autoencoder, sequence-autoencoder, pca or auto)");
        }
    }

    public static TrainOptions of(List<Path> inputs) {
        return new TrainOptions(inputs, InputOptions.defaults(), AUTO, 1, AUTO_SECONDS, AUTO_SECONDS, 10, null, 200_000,
                Calibration.DEFAULT_FALSE_ALARMS_PER_WEEK);
    }

    public TrainOptions withDetector(String d) {
        return new TrainOptions(inputs, input, d, seed, windowSeconds, hopSeconds, windowRows, isoClass, maxObservations, falseAlarmsPerWeek);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(inputs, input, detector, s, windowSeconds, hopSeconds, windowRows, isoClass, maxObservations, falseAlarmsPerWeek);
    }

    public TrainOptions withInput(InputOptions in) {
        return new TrainOptions(inputs, in, detector, seed, windowSeconds, hopSeconds, windowRows, isoClass, maxObservations, falseAlarmsPerWeek);
    }

    public TrainOptions withIsoClass(IsoZone.MachineClass c) {
        return new TrainOptions(inputs, input, detector, seed, windowSeconds, hopSeconds, windowRows, c, maxObservations, falseAlarmsPerWeek);
    }
}
