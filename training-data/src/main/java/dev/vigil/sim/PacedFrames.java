package dev.vigil.sim;

import dev.vigil.domain.Frame;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Releases frames no earlier than they would exist on a real machine: a frame is due once its last sample
 * has been measured, scaled by a speed factor (1 = real time, 10 = ten times faster). The clock is
 * injectable so that tests do not sleep.
 */
public final class PacedFrames implements Iterator<Frame> {

    /** Time source and sleeper. */
    public interface Clock {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;

        Clock SYSTEM = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
            }
        };
    }

    private final Iterator<Frame> source;
    private final double speed;
    private final Clock clock;
    private long wallStart = Long.MIN_VALUE;
    private long streamStart;

    public PacedFrames(Iterator<Frame> source, double speed, Clock clock) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, got " + speed);
        }
        this.source = source;
        this.speed = speed;
        this.clock = clock;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    /** The next frame, after waiting until it is due. Interruption ends the stream. */
    @Override
    public Frame next() {
        if (!source.hasNext()) {
            throw new NoSuchElementException();
        }
        Frame f = source.next();
        if (wallStart == Long.MIN_VALUE) {
            wallStart = clock.nanoTime();
            streamStart = f.startNanos();
        }
        long due = wallStart + (long) ((f.endNanos() - streamStart) / speed);
        long wait = due - clock.nanoTime();
        if (wait > 0) {
            try {
                clock.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoSuchElementException("interrupted while pacing frames");
            }
        }
        return f;
    }
}
