package com.pettysync.contract.raw;

import com.pettysync.contract.frame.CborFrameWriter;
import com.pettysync.contract.frame.CborItem;
import com.pettysync.contract.frame.CborReader;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.frame.Field;
import com.pettysync.contract.frame.FrameShape;

/**
 * Encodes, decodes and validates raw-capture chunks (wire contract v1 §9), with the guarantees and failure model of
 * the other codecs: the encoder writes core deterministic CBOR, the decoder accepts any well-formed CBOR of the
 * shape, and every rule broken is a {@link ContractViolation} with the path and the rule. The budget is 16 KiB per
 * chunk, checked before parsing.
 *
 * <pre>
 * chunk = {0: v = 1, 1: capture_id ≥ 1, 2: chunk (0-based), 3: sensor 0 ppg | 1 imu, 4: t0 (Unix ms),
 *          5: rate_hz 1 … 10000, 6: format (must be the sensor's: ppg → 0, imu → 1), 7: samples (bytes)}
 *
 * e.g. two PPG samples (40 bytes):
 *   a8                              map of 8
 *   00 01                           v = 1
 *   01 19 04 d2                     capture_id = 1234
 *   02 07                           chunk = 7
 *   03 00                           sensor = 0 (ppg)
 *   04 1b 00 00 01 9b 76 da a8 00   t0 = 1767225600000 (2026-01-01T00:00:00Z)
 *   05 18 64                        rate_hz = 100
 *   06 00                           format = 0 (ppg_red_ir_u18)
 *   07 4c                           samples: 12 bytes
 *      00 c3 50 01 38 80            red 50000, ir 80000 at t0
 *      00 c3 4f 01 38 7e            red 49999, ir 79998 at t0 + 10 ms
 * </pre>
 *
 * Rules beyond ranges: {@code samples} is a non-empty whole number of samples of the format (6 or 12 bytes), a PPG
 * value fits 18 bits; keys above 7 are ignored (later minor versions may add them).
 */
public final class RawChunkCodec {
    /** 16 KiB: a chunk stays small on a collar's spool and within one IoT Core message of a few billing units. */
    public static final int MAX_CHUNK_BYTES = 16 * 1024;
    /** CBOR around the samples of a chunk is at most this many bytes (8 keys, 9-byte integers). */
    public static final int MAX_OVERHEAD_BYTES = 64;

    static final String[] KEYS = {"v", "capture_id", "chunk", "sensor", "t0", "rate_hz", "format", "samples"};
    static final Field CAPTURE_ID = new Field("capture_id", 1, Field.UINT_MAX);
    static final Field CHUNK = Field.uint("chunk");
    static final Field SENSOR = new Field("sensor", 0, RawSensor.values().length - 1);
    static final Field T0 = Field.uint("t0");
    static final Field RATE = new Field("rate_hz", 1, 10_000);
    static final Field FORMAT = new Field("format", 0, RawSampleFormat.values().length - 1);

    private RawChunkCodec() {}

    /** Most samples of {@code format} one chunk can carry. */
    public static int maxSamples(RawSampleFormat format) {
        return (MAX_CHUNK_BYTES - MAX_OVERHEAD_BYTES) / format.sampleBytes();
    }

    /** The deterministic CBOR of a valid chunk. */
    public static byte[] encode(RawChunk c) {
        validate(c);
        byte[] samples = c.samples();
        CborFrameWriter w = new CborFrameWriter(samples.length + MAX_OVERHEAD_BYTES).startMap(8);
        w.key(0).integer(RawChunk.VERSION);
        w.key(1).integer(c.captureId());
        w.key(2).integer(c.chunk());
        w.key(3).integer(c.sensor().code());
        w.key(4).integer(c.t0Ms());
        w.key(5).integer(c.rateHz());
        w.key(6).integer(c.format().code());
        w.key(7).bytes(samples);
        byte[] frame = w.finishMap();
        FrameShape.checkSize(frame.length, MAX_CHUNK_BYTES);
        return frame;
    }

    /** The validated chunk in {@code frame}. */
    public static RawChunk decode(byte[] frame) {
        FrameShape.checkSize(frame.length, MAX_CHUNK_BYTES);
        CborItem[] known = FrameShape.topLevel(CborReader.readSingle(frame), KEYS);
        for (int k = 0; k < KEYS.length; k++) {
            FrameShape.required(known, k, KEYS);
        }
        FrameShape.integer(known[0], "v", new Field("v", RawChunk.VERSION, RawChunk.VERSION));
        long captureId = FrameShape.integer(known[1], "capture_id", CAPTURE_ID);
        long chunk = FrameShape.integer(known[2], "chunk", CHUNK);
        RawSensor sensor = RawSensor.ofCode(FrameShape.integer(known[3], "sensor", SENSOR), "sensor");
        long t0 = FrameShape.integer(known[4], "t0", T0);
        int rate = (int) FrameShape.integer(known[5], "rate_hz", RATE);
        RawSampleFormat format = RawSampleFormat.ofCode(FrameShape.integer(known[6], "format", FORMAT), "format");
        byte[] samples = FrameShape.bytes(known[7], "samples");
        return validate(new RawChunk(captureId, chunk, sensor, t0, rate, format, samples));
    }

    /** Returns {@code c} if every field is in range, the format is the sensor's and the samples are whole. */
    public static RawChunk validate(RawChunk c) {
        CAPTURE_ID.check(c.captureId(), "capture_id");
        CHUNK.check(c.chunk(), "chunk");
        T0.check(c.t0Ms(), "t0");
        RATE.check(c.rateHz(), "rate_hz");
        if (c.format() != c.sensor().format()) {
            throw new ContractViolation("format", c.sensor().jsonName() + " samples must be in format "
                    + c.sensor().format().code() + " (" + c.sensor().format().jsonName() + ")");
        }
        c.format().check(c.samplesView(), "samples");
        if (c.sampleBytes() > MAX_CHUNK_BYTES - MAX_OVERHEAD_BYTES) {
            throw new ContractViolation("samples", c.sampleBytes() + " bytes of samples cannot fit a 16 KiB chunk");
        }
        return c;
    }
}
