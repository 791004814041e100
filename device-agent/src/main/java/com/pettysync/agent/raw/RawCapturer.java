package com.pettysync.agent.raw;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.raw.RawSensor;
import com.pettysync.contract.shadow.RawCapture;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.tinylog.Logger;

/**
 * Turns the shadow's {@code rawCapture} request (contract §6, §9) into raw-capture chunks in the {@link RawSpool}.
 *
 * <h2>Behaviour</h2>
 * <ul>
 * <li>A request in force ({@link RawCapture#inForceAt}) that differs from the one running starts a new capture
 * (a new capture id, chunks numbered from 0 over both sensors); samples of the requested sensors are packed in the
 * contract's sample formats.</li>
 * <li>A chunk holds one sensor's evenly spaced samples: it is closed after {@value #CHUNK_SECONDS} s of samples
 * (PPG 1,000 samples = 6,000 bytes; IMU 520 = 6,240 bytes; both far under 16 KiB), at a gap (the part lost
 * samples, or a sample more than {@value #GAP_PERIODS} sample periods from where the rate puts it), at a rate
 * change, and when the capture stops. Closed chunks go to the spool on the {@code writer} executor, never on the
 * sensor's thread.</li>
 * <li>The capture stops by itself — {@link #state()} says why — at {@code untilUnix} (no sample at or after it is
 * kept), when the shadow clears or changes the request ({@code shadow}), when the spool's quota is reached
 * ({@code quota}: the chunk that did not fit and everything after it are dropped), when the card is nearly full
 * ({@code disk}, {@link RawSpool#DISK_RESERVE_BYTES} left) or a chunk cannot be written ({@code storage}). A
 * stopped capture does not restart until the shadow sends a new request.</li>
 * </ul>
 * Thread safety: synchronized; samples arrive on the sensors' threads, the request on the uplink's, stores finish
 * on the writer's.
 */
public final class RawCapturer implements RawSamples.Sink {
    /** Seconds of samples per chunk. */
    public static final int CHUNK_SECONDS = 10;
    static final int GAP_PERIODS = 3;

    /** Why a capture is not running. */
    public enum StopReason {
        UNTIL, SHADOW, QUOTA, DISK, STORAGE;

        String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The capture's state, as reported in the shadow ({@code reported.rawCaptureStatus}) and the status file.
     *
     * @param capturing whether samples are being kept now
     * @param stopReason why not (null while capturing, or before any capture)
     * @param captureId the current or last capture (0: none yet)
     * @param untilUnix its end
     * @param chunks chunks made by it
     * @param bytes sample bytes in them
     * @param version changes whenever anything above does (for "report when changed")
     */
    public record State(boolean capturing, StopReason stopReason, long captureId, long untilUnix, long chunks,
            long bytes, long version) {
        /** The shadow / status form: {@code {"state":"capturing|stopped|off","reason":…,"captureId",…}}. */
        public ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("state", capturing ? "capturing" : captureId == 0 ? "off" : "stopped");
            if (stopReason == null) {
                o.putNull("reason");
            } else {
                o.put("reason", stopReason.jsonName());
            }
            o.put("captureId", captureId).put("untilUnix", untilUnix).put("chunks", chunks).put("bytes", bytes);
            return o;
        }
    }

    private final RawSpool spool;
    private final Executor writer;
    private final Clock clock;
    private RawCapture request = RawCapture.OFF;
    private final Map<RawSensor, Builder> open = new EnumMap<>(RawSensor.class);
    private boolean capturing;
    private StopReason stopReason;
    private long captureId;
    private long nextChunk;
    private long chunks;
    private long bytes;
    private long version;
    private long refusedCapture;

    /**
     * @param writer runs the spool writes (a single background thread on the collar; a direct executor in tests)
     */
    public RawCapturer(RawSpool spool, Executor writer, Clock clock) {
        this.spool = Objects.requireNonNull(spool);
        this.writer = Objects.requireNonNull(writer);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The shadow's request now (call on every applied config; an unchanged request changes nothing). */
    public synchronized void request(RawCapture r) {
        Objects.requireNonNull(r);
        if (r.equals(request)) {
            checkTime();
            return;
        }
        request = r;
        if (capturing) {
            stop(StopReason.SHADOW);
        }
        long nowS = Math.floorDiv(clock.millis(), 1000);
        if (r.inForceAt(nowS)) {
            captureId = spool.newCaptureId(nowS);
            capturing = true;
            stopReason = null;
            nextChunk = 0;
            chunks = 0;
            bytes = 0;
            version++;
            Logger.info("raw capture {} started: {} until {}", captureId, r.sensorsInOrder(), r.untilUnix());
        }
    }

    /** Stops the capture when the clock reached {@code untilUnix} (also without samples); call now and then. */
    public synchronized void checkTime() {
        if (capturing && clock.millis() >= request.untilUnix() * 1000) {
            stop(StopReason.UNTIL);
        }
    }

    public synchronized State state() {
        return new State(capturing, stopReason, captureId, request.untilUnix(), chunks, bytes, version);
    }

    @Override
    public synchronized void sample(RawSensor sensor, long epochMs, int rateHz, int[] values) {
        if (!capturing || !request.sensors().contains(sensor)) {
            return;
        }
        if (epochMs >= request.untilUnix() * 1000) {
            stop(StopReason.UNTIL);
            return;
        }
        Builder b = open.get(sensor);
        if (b != null && (b.rateHz != rateHz || !b.continues(epochMs))) {
            close(sensor);
            b = null;
        }
        if (b == null) {
            b = new Builder(sensor, epochMs, rateHz);
            open.put(sensor, b);
        }
        b.add(values);
        if (b.full()) {
            close(sensor);
        }
    }

    @Override
    public synchronized void gap(RawSensor sensor) {
        if (capturing && open.containsKey(sensor)) {
            close(sensor);
        }
    }

    private void stop(StopReason why) {
        for (RawSensor s : RawSensor.values()) {
            if (open.containsKey(s)) {
                close(s);
            }
        }
        if (capturing) {
            capturing = false;
            stopReason = why;
            version++;
            Logger.info("raw capture {} stopped ({}): {} chunk(s), {} bytes", captureId, why.jsonName(), chunks, bytes);
        }
    }

    private void close(RawSensor sensor) {
        Builder b = open.remove(sensor);
        if (b == null || b.n == 0) {
            return;
        }
        RawChunk chunk = new RawChunk(captureId, nextChunk++, sensor, b.t0Ms, b.rateHz, sensor.format(),
                java.util.Arrays.copyOf(b.buf, b.n * sensor.format().sampleBytes()));
        chunks++;
        bytes += chunk.sampleBytes();
        version++;
        long id = captureId;
        writer.execute(() -> {
            if (wanted(id)) {
                stored(id, chunk, spool.store(chunk));
            }
        });
    }

    /** False once a chunk of capture {@code id} was refused: no later chunk may leave a hole behind it. */
    private synchronized boolean wanted(long id) {
        return id != refusedCapture;
    }

    private synchronized void stored(long id, RawChunk chunk, RawSpool.Stored result) {
        if (result == RawSpool.Stored.STORED) {
            return;
        }
        refusedCapture = id;
        if (id != captureId) {
            return;
        }
        chunks--;
        bytes -= chunk.sampleBytes();
        version++;
        StopReason why = switch (result) {
            case QUOTA -> StopReason.QUOTA;
            case DISK_LOW -> StopReason.DISK;
            default -> StopReason.STORAGE;
        };
        if (capturing) {
            Logger.warn("raw chunk {}/{} not stored ({}); capture stops", id, chunk.chunk(), why.jsonName());
            open.clear(); // what is still open would not fit either
            capturing = false;
            stopReason = why;
        }
    }

    /** One chunk being filled. */
    private static final class Builder {
        final RawSensor sensor;
        final long t0Ms;
        final int rateHz;
        final int max;
        final byte[] buf;
        int n;

        Builder(RawSensor sensor, long t0Ms, int rateHz) {
            this.sensor = sensor;
            this.t0Ms = t0Ms;
            this.rateHz = rateHz;
            this.max = Math.min(RawChunkCodec.maxSamples(sensor.format()), Math.max(1, rateHz * CHUNK_SECONDS));
            this.buf = new byte[max * sensor.format().sampleBytes()];
        }

        boolean continues(long epochMs) {
            long expected = t0Ms + (long) n * 1000 / rateHz;
            return Math.abs(epochMs - expected) <= (long) GAP_PERIODS * 1000 / rateHz;
        }

        void add(int[] values) {
            sensor.format().pack(values, buf, n * sensor.format().sampleBytes());
            n++;
        }

        boolean full() {
            return n >= max;
        }
    }
}
