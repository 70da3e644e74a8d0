package dev.vigil.runtime.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The service's own meters (docs/PROTOCOL.md, Metrics), next to the Vert.x HTTP and event-loop meters in the same
 * Prometheus registry: frames and samples in, windows scored, refused frames by reason, scoring time per call,
 * alert latency, frames waiting per machine, and alerts by state.
 */
public final class Metrics {
    private final PrometheusMeterRegistry registry;
    private final Map<String, Counter> frames = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Counter samples;
    private final Counter windows;
    private final Timer scoring;
    private final Timer alertLatency;
    private final Timer windowLatency;
    private final Timer recordAge;
    private final DistributionSummary batch;
    private final Map<String, AtomicLong> alertGauges = new ConcurrentHashMap<>();

    public Metrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        // Vert.x tags its HTTP meters with the request's method and status: a client inventing methods would make
        // a new series per request until /metrics and the heap burst; beyond a dozen values, no new series
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.maximumAllowableTags(
                "vertx.http.server", "method", 12, io.micrometer.core.instrument.config.MeterFilter.deny()));
        registry.config().meterFilter(io.micrometer.core.instrument.config.MeterFilter.maximumAllowableTags(
                "vertx.http.server", "code", 40, io.micrometer.core.instrument.config.MeterFilter.deny()));
        samples = Counter.builder("vigil.samples").description("waveform samples received").register(registry);
        windows = Counter.builder("vigil.windows").description("windows scored").register(registry);
        scoring = Timer.builder("vigil.scoring").description("assembling, features, inference and alerting per call")
                .publishPercentileHistogram().register(registry);
        alertLatency = Timer.builder("vigil.alert.latency")
                .description("from the end of the window that changed an alert to the change stored and published")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.99).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        windowLatency = Timer.builder("vigil.window.latency")
                .description("from the end of a window to its assessment done (scored, alert changes stored), live data")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.99).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        recordAge = Timer.builder("vigil.kafka.record.age")
                .description("in a cluster, from a frame record's timestamp (its producer's, or the broker's with "
                        + "LogAppendTime) to this instance taking it from the consumer: the time in and through Kafka")
                .publishPercentileHistogram().publishPercentiles(0.5, 0.99).minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(1)).register(registry);
        batch = DistributionSummary.builder("vigil.scoring.batch").description("windows scored per inference call")
                .register(registry);
    }

    public static Metrics create() {
        return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void frame(String transport, int sampleCount) {
        frames.computeIfAbsent(transport, t -> Counter.builder("vigil.frames").tag("transport", t)
                .description("frames accepted for scoring").register(registry)).increment();
        samples.increment(sampleCount);
    }

    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("vigil.frames.refused").tag("reason", r)
                .description("frames refused, by reason").register(registry)).increment();
    }

    public void scored(int windowCount, long nanos) {
        windows.increment(windowCount);
        batch.record(windowCount);
        scoring.record(Duration.ofNanos(nanos));
    }

    public void alertLatency(Duration d) {
        alertLatency.record(d);
    }

    public void windowLatency(Duration d) {
        windowLatency.record(d);
    }

    public void recordAge(Duration d) {
        recordAge.record(d);
    }

    /** Frame records' age when taken from the consumer, of the last minutes: {count, p50 ms, p99 ms, max ms}. */
    public double[] recordAgeSummary() {
        return summary(recordAge);
    }

    /** Alert latencies of the last minutes: {count, p50 ms, p99 ms, max ms}. */
    public double[] alertLatencySummary() {
        return summary(alertLatency);
    }

    /**
     * Window latencies measured in the service (the same for every transport, Kafka's included, which answers
     * nothing to the sender), of the last minutes: {count, p50 ms, p99 ms, max ms}.
     */
    public double[] windowLatencySummary() {
        return summary(windowLatency);
    }

    /**
     * The window latencies measured so far, as cumulative counts per upper bound in milliseconds (since start, not
     * decaying): two of them taken apart give the distribution between the two moments.
     */
    public java.util.NavigableMap<Double, Double> windowLatencyCounts() {
        return counts(windowLatency);
    }

    /** As {@link #windowLatencyCounts}, for the frame records' age when taken from the consumer. */
    public java.util.NavigableMap<Double, Double> recordAgeCounts() {
        return counts(recordAge);
    }

    private static java.util.NavigableMap<Double, Double> counts(Timer timer) {
        java.util.NavigableMap<Double, Double> out = new java.util.TreeMap<>();
        for (var c : timer.takeSnapshot().histogramCounts()) {
            out.put(c.bucket(TimeUnit.MILLISECONDS), c.count());
        }
        return out;
    }

    private static double[] summary(Timer timer) {
        var snap = timer.takeSnapshot();
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (var v : snap.percentileValues()) {
            if (v.percentile() == 0.5) {
                p50 = v.value(TimeUnit.MILLISECONDS);
            } else if (v.percentile() == 0.99) {
                p99 = v.value(TimeUnit.MILLISECONDS);
            }
        }
        double max = snap.max(TimeUnit.MILLISECONDS);
        // the percentiles are read from histogram buckets and can land above the largest value measured
        return new double[]{snap.count(), Math.min(p50, max), Math.min(p99, max), max};
    }

    /** Samples received so far. */
    public double samples() {
        return samples.count();
    }

    /** Registers a machine's queue of frames waiting to be scored. */
    public void queue(String machineId, AtomicInteger depth) {
        Gauge.builder("vigil.queue.depth", depth, AtomicInteger::get).tag("machine", machineId)
                .description("frames waiting to be scored").register(registry);
    }

    /** Registers the count of frame batches left out of the recordings because the disk could not keep up. */
    public void recordingDropped(LongSupplier dropped) {
        FunctionCounter.builder("vigil.recording.dropped", dropped, d -> d.getAsLong())
                .description("frame batches left out of the recordings (the disk could not keep up); never of scoring")
                .register(registry);
    }

    /** Zeroes the open-alert gauges before {@link #alerts} sets the current counts. */
    public void resetAlerts() {
        alertGauges.values().forEach(v -> v.set(0));
    }

    /** Sets the number of open alerts in a state (category, severity, active/cleared, acknowledged or not). */
    public void alerts(String category, String severity, String state, String ack, long count) {
        String key = category + "/" + severity + "/" + state + "/" + ack;
        alertGauges.computeIfAbsent(key, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("vigil.alerts.open", v, AtomicLong::get).tags("category", category, "severity", severity,
                    "state", state, "acknowledged", ack).description("open alerts").register(registry);
            return v;
        }).set(count);
    }

    /** Sets the number of webhook messages of an endpoint in a state (pending, delivered, dead). */
    public void webhooks(String endpoint, String state, long count) {
        alertGauges.computeIfAbsent("webhook/" + endpoint + "/" + state, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("vigil.webhooks", v, AtomicLong::get).tags("endpoint", endpoint, "state", state)
                    .description("webhook messages in the outbox").register(registry);
            return v;
        }).set(count);
    }

    public String scrape() {
        return registry.scrape();
    }

    /** For tests and the load generator: a meter's count. */
    public MeterRegistry meters() {
        return registry;
    }
}
