package com.pettysync.drivers.voice;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-producer single-consumer ring of 16-bit samples between the capture thread and its reader.
 *
 * <p>Guarantee: {@link #offer} never blocks and never waits for the reader: what does not fit is dropped (newest
 * samples) and counted in {@link #droppedSamples()} and {@link #overruns()}. Samples that were accepted are delivered
 * once, in order. Exactly one thread may offer and one other thread may poll.
 */
public final class SampleRing {
    private final short[] buffer;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next to read
    private final AtomicLong tail = new AtomicLong(); // next to write
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong overruns = new AtomicLong();

    /** @param capacity rounded up to a power of two */
    public SampleRing(int capacity) {
        int c = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        buffer = new short[c];
        mask = c - 1;
    }

    public int capacity() {
        return buffer.length;
    }

    /** Appends up to {@code n} samples; returns how many fit. */
    public int offer(short[] src, int offset, int n) {
        long t = tail.get();
        int free = buffer.length - (int) (t - head.get());
        int m = Math.min(n, free);
        for (int i = 0; i < m; i++) {
            buffer[(int) (t + i) & mask] = src[offset + i];
        }
        tail.set(t + m);
        if (m < n) {
            dropped.addAndGet(n - m);
            overruns.incrementAndGet();
        }
        return m;
    }

    /** Removes up to {@code n} samples into {@code dst}; returns how many. */
    public int poll(short[] dst, int offset, int n) {
        long h = head.get();
        int m = (int) Math.min(n, tail.get() - h);
        for (int i = 0; i < m; i++) {
            dst[offset + i] = buffer[(int) (h + i) & mask];
        }
        head.set(h + m);
        return m;
    }

    public int available() {
        return (int) (tail.get() - head.get());
    }

    public long droppedSamples() {
        return dropped.get();
    }

    /** How many offers could not store everything. */
    public long overruns() {
        return overruns.get();
    }
}
