package dev.vigil.runtime.ingest;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.stream.FrameException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames as JSON, for low-rate senders that cannot produce the binary format (docs/PROTOCOL.md):
 * {@code {"frames": [{"channel", "start" (ISO-8601) or "startNanos", "sampleRateHz", "samples": [...]}]}}.
 * Every problem is reported with its path, e.g. {@code frames[2].samples[17]: expected a number}.
 */
final class JsonFrames {
    private final int maxSamples;

    JsonFrames(int maxSamples) {
        this.maxSamples = maxSamples;
    }

    List<Frame> decode(String machineId, String body) throws FrameException {
        JsonObject root;
        try {
            root = new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new FrameException("body is not a JSON object: " + e.getMessage());
        }
        if (!(root.getValue("frames") instanceof JsonArray list) || list.isEmpty()) {
            throw new FrameException("frames: expected a non-empty list of frames");
        }
        List<Frame> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String at = "frames[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject f)) {
                throw new FrameException(at + ": expected an object");
            }
            if (!(f.getValue("channel") instanceof String channel) || channel.isBlank()) {
                throw new FrameException(at + ".channel: expected the channel name");
            }
            long start = start(f, at);
            if (!(f.getValue("sampleRateHz") instanceof Number rate) || !(rate.doubleValue() > 0)
                    || Double.isInfinite(rate.doubleValue())) {
                throw new FrameException(at + ".sampleRateHz: expected a positive number");
            }
            if (!(f.getValue("samples") instanceof JsonArray samples) || samples.isEmpty()) {
                throw new FrameException(at + ".samples: expected a non-empty list of numbers");
            }
            if (samples.size() > maxSamples) {
                throw new FrameException(at + ".samples: " + samples.size() + " samples, more than the limit " + maxSamples);
            }
            float[] values = new float[samples.size()];
            for (int j = 0; j < values.length; j++) {
                Object v = samples.getValue(j);
                if (v instanceof Number n) {
                    values[j] = n.floatValue();
                    if (Float.isInfinite(values[j])) {
                        throw new FrameException(at + ".samples[" + j + "]: " + v + " is beyond the range of a float32 sample");
                    }
                } else if (v == null) {
                    values[j] = Float.NaN;
                } else {
                    throw new FrameException(at + ".samples[" + j + "]: expected a number or null, found " + v);
                }
            }
            out.add(new Frame(machineId, channel, start, rate.doubleValue(), values));
        }
        return out;
    }

    private static long start(JsonObject f, String at) throws FrameException {
        Object nanos = f.getValue("startNanos");
        if (nanos instanceof Number n) {
            return n.longValue();
        }
        if (f.getValue("start") instanceof String s) {
            try {
                Instant t = Instant.parse(s);
                return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new FrameException(at + ".start: '" + s + "' is not an ISO-8601 instant like 2026-11-28T10:00:00.5Z");
            }
        }
        throw new FrameException(at + ": needs start (ISO-8601) or startNanos");
    }
}
