package dev.vigil.model.feature;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Finding where a robot's motion cycle ends, on joint trajectories whose truth is known. */
class CycleMatchTest {
    private static final double RATE = 1000;
    private static final double[][] POSES = {{0, 10}, {60, 35}, {60, 20}, {-40, 25}};
    private static final double MOVE_S = 0.9;
    private static final double DWELL_S = 0.3;
    private static final double CYCLE_S = 4 * (MOVE_S + DWELL_S);

    /**
     * Two joints visiting {@link #POSES} cycle after cycle, each move and dwell jittered by up to {@code jitter};
     * with {@code away} set, the last move of the second cycle goes there instead of back to the first pose.
     * Returns the positions and, in {@code starts}, each cycle's start (s).
     */
    private static float[][] trajectory(int cycles, double jitter, double[] away, List<Double> starts, long seed) {
        Random r = new Random(seed);
        int n = (int) Math.round((cycles + 1) * CYCLE_S * 1.2 * RATE);
        float[][] q = new float[2][n];
        double t = 0;
        int at = 0;
        double[] pose = POSES[0];
        for (int c = 0; c < cycles + 1 && at < n; c++) {
            starts.add(t);
            for (int m = 0; m < 4; m++) {
                double[] to = c == 1 && m == 3 && away != null ? away : POSES[(m + 1) % 4];
                double move = MOVE_S * (1 + jitter * (2 * r.nextDouble() - 1));
                double dwell = DWELL_S * (1 + jitter * (2 * r.nextDouble() - 1));
                for (; at < n && at < (t + move + dwell) * RATE; at++) {
                    double tau = Math.min(1, (at / RATE - t) / move);
                    double s = tau * tau * (3 - 2 * tau);
                    for (int j = 0; j < 2; j++) {
                        q[j][at] = (float) (pose[j] + s * (to[j] - pose[j]));
                    }
                }
                t += move + dwell;
                pose = to;
            }
        }
        return q;
    }

    private static List<float[]> window(float[][] q, double fromS) {
        int from = (int) Math.round(fromS * RATE);
        int len = (int) Math.round(CycleMatch.windowFor(CYCLE_S) * RATE);
        List<float[]> out = new ArrayList<>();
        for (float[] j : q) {
            out.add(java.util.Arrays.copyOfRange(j, from, from + len));
        }
        return out;
    }

    @Test
    void findsTheEndOfTheCycleThatStartsTheWindowWhereverItStarts() {
        List<Double> starts = new ArrayList<>();
        float[][] q = trajectory(6, 0.03, null, starts, 1);
        for (int c = 0; c < 4; c++) {
            double cycle = starts.get(c + 1) - starts.get(c);
            for (double phase : new double[]{0, 0.13, 0.37, 0.5, 0.81}) {
                // the same phase one cycle later: where the window's first moves repeat (moves jitter one by one,
                // so the truth is the start of the move the window starts in, in the next cycle)
                double from = starts.get(c) + phase * cycle;
                double length = CycleMatch.length(window(q, from), RATE, CYCLE_S);
                assertThat(length).as("cycle %d, phase %s (this cycle %.3f s)", c, phase, cycle)
                        .isCloseTo(cycle, within(0.12));
            }
        }
    }

    @Test
    void aCycleFollowedByTheMoveIntoAnotherProgramIsNotAnOrdinaryCycle() {
        List<Double> starts = new ArrayList<>();
        float[][] q = trajectory(4, 0, new double[]{-60, 30}, starts, 2);
        // the window starts at the dwell before the first cycle's last move: one cycle later the arm leaves for
        // another pose, from rest, barely different in the first half second
        double from = starts.get(0) + 2 * (MOVE_S + DWELL_S) + MOVE_S;
        assertThat(CycleMatch.length(window(q, from), RATE, CYCLE_S)).isNaN();
        // one cycle earlier, in the ordinary motion, the same phase matches
        List<Double> plain = new ArrayList<>();
        float[][] ordinary = trajectory(4, 0, null, plain, 2);
        assertThat(CycleMatch.length(window(ordinary, from), RATE, CYCLE_S)).isCloseTo(CYCLE_S, within(0.02));
    }

    @Test
    void aPauseIsNotACycle() {
        List<Double> starts = new ArrayList<>();
        float[][] q = trajectory(4, 0, null, starts, 3);
        // hold every joint for 8 s from the start of the window
        int from = (int) Math.round(starts.get(1) * RATE);
        for (float[] j : q) {
            java.util.Arrays.fill(j, from, from + 8000, j[from]);
        }
        assertThat(CycleMatch.length(window(q, starts.get(1)), RATE, CYCLE_S)).isNaN();
    }
}
