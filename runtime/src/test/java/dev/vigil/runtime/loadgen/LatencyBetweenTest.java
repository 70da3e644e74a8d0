package dev.vigil.runtime.loadgen;

import dev.vigil.runtime.ops.Metrics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.NavigableMap;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyBetweenTest {

    @Test
    void theWindowsMeasuredBetweenTwoMomentsAloneMakeThePercentiles() {
        Metrics metrics = Metrics.create();
        // a slow start: 100 windows of 2 s
        for (int i = 0; i < 100; i++) {
            metrics.windowLatency(Duration.ofSeconds(2));
        }
        NavigableMap<Double, Double> warm = metrics.windowLatencyCounts();
        // then 990 windows of 20 ms and 10 of 300 ms
        for (int i = 0; i < 990; i++) {
            metrics.windowLatency(Duration.ofMillis(20));
        }
        for (int i = 0; i < 10; i++) {
            metrics.windowLatency(Duration.ofMillis(300));
        }
        double[] steady = LatencyBetween.of(warm, metrics.windowLatencyCounts());
        assertThat(steady[0]).isEqualTo(1000);
        assertThat(steady[1]).as("p50: the bucket bound above 20 ms").isBetween(20.0, 25.0);
        assertThat(steady[2]).as("p99: still the 20 ms windows' bucket (990 of 1000)").isBetween(20.0, 25.0);
        assertThat(steady[3]).as("the slowest after the warm-up, not the start's 2 s").isBetween(300.0, 360.0);

        double[] all = LatencyBetween.of(new java.util.TreeMap<>(), metrics.windowLatencyCounts());
        assertThat(all[0]).isEqualTo(1100);
        assertThat(all[3]).as("with the start").isGreaterThanOrEqualTo(2000);
    }
}
