package com.pettysync.contract.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * When a collar publishes the telemetry frame of a window (wire contract §8, "Publish offset"): the frame of window
 * {@code [t0, t0+dur)} goes at {@code t0 + dur + o} seconds, with
 * <pre>
 *   o = CRC-32(thing name, UTF-8) mod min(60, ⌊dur / 5⌋)      (o = 0 when dur &lt; 5)
 * </pre>
 * so a fleet whose windows all close on the same second reaches the broker as an even stream over up to 60 s
 * instead of one burst. The offset is a property of the thing: the same collar always uses the same second of every
 * window, so its frames stay evenly spaced. It changes neither the frame's content ({@code t0}, {@code dur}) nor
 * events, which are never delayed. CRC-32 is the IEEE 802.3 polynomial of {@link CRC32} (zlib's {@code crc32}).
 *
 * <p>Immutable; {@link #of} computes the thing's CRC once.
 */
public final class PublishOffset {
    /** The widest spread of a fleet's publishes of one window, seconds. */
    public static final int MAX_SPREAD_S = 60;
    /** The spread is at most this fraction of the window: {@code ⌊dur / WINDOW_FRACTION⌋} seconds. */
    public static final int WINDOW_FRACTION = 5;

    private final String thing;
    private final long crc;

    private PublishOffset(String thing, long crc) {
        this.thing = thing;
        this.crc = crc;
    }

    /**
     * The offset rule of one thing.
     *
     * @throws IllegalArgumentException when {@code thing} is null or empty (a collar without a name has no offset)
     */
    public static PublishOffset of(String thing) {
        if (thing == null || thing.isEmpty()) {
            throw new IllegalArgumentException("publish offset: thing name must not be "
                    + (thing == null ? "null" : "empty"));
        }
        CRC32 c = new CRC32();
        c.update(thing.getBytes(StandardCharsets.UTF_8));
        return new PublishOffset(thing, c.getValue());
    }

    /** {@code o} for a window of {@code dur} seconds; see {@link #of} for the errors. */
    public static int seconds(String thing, int dur) {
        return of(thing).seconds(dur);
    }

    /** The thing this offset belongs to. */
    public String thing() {
        return thing;
    }

    /** CRC-32 of the thing name's UTF-8 bytes, 0 … 2<sup>32</sup>−1. */
    public long crc32() {
        return crc;
    }

    /**
     * {@code o} in seconds for a window of {@code dur} seconds: 0 … min(60, ⌊dur/5⌋) − 1, and 0 when {@code dur < 5}.
     *
     * @throws IllegalArgumentException when {@code dur < 1}
     */
    public int seconds(int dur) {
        if (dur < 1) {
            throw new IllegalArgumentException("publish offset: window length must be at least 1 s, got " + dur);
        }
        int spread = Math.min(MAX_SPREAD_S, dur / WINDOW_FRACTION);
        return spread == 0 ? 0 : (int) (crc % spread);
    }

    /**
     * When the frame of window {@code [t0, t0+dur)} is published, Unix seconds: {@code t0 + dur + o}.
     *
     * @throws IllegalArgumentException when {@code dur < 1} or {@code t0 < 0}
     */
    public long publishAt(long t0, int dur) {
        if (t0 < 0) {
            throw new IllegalArgumentException("publish offset: window start must be at least 0, got " + t0);
        }
        return Math.addExact(Math.addExact(t0, dur), seconds(dur));
    }

    @Override
    public String toString() {
        return "PublishOffset[" + thing + ", crc32=" + Long.toHexString(crc) + "]";
    }
}
