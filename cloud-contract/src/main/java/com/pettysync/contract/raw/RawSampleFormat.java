package com.pettysync.contract.raw;

import com.pettysync.contract.frame.ContractViolation;
import java.util.Locale;

/**
 * How a raw-capture chunk's {@code samples} bytes hold its samples (wire contract §9, key 6). Samples are packed
 * back to back, oldest first, with no header and no padding; sample {@code i} was taken at
 * {@code t0 + i·1000 / rate_hz} ms.
 *
 * <pre>
 * 0 ppg_red_ir_u18 — 6 bytes per sample, the MAX30102 FIFO's own layout (datasheet, "FIFO Data Register"):
 *   byte  0      1      2      3      4      5
 *       +------+------+------+------+------+------+
 *       | red (24-bit big-endian)   | ir (24-bit big-endian)    |
 *       +------+------+------+------+------+------+
 *   each an unsigned 18-bit ADC count 0 … 262143 (bits 23…18 are 0); LED current and pulse width as configured
 *   by the collar's driver (they are not in the chunk).
 *
 * 1 imu_mg_ddps_s16 — 12 bytes per sample, six signed 16-bit little-endian integers (two's complement):
 *   byte  0  1   2  3   4  5   6  7   8  9   10 11
 *       +------+------+------+------+------+------+
 *       |  ax  |  ay  |  az  |  gx  |  gy  |  gz  |
 *       +------+------+------+------+------+------+
 *   acceleration in milli-g (±8 g range: −8000 … 8000 in practice), angular rate in deci-degrees per second
 *   (0.1 °/s; ±2000 °/s fits as ±20000), in the LSM6DSOX's axes; values beyond ±32767 are saturated.
 * </pre>
 */
public enum RawSampleFormat {
    PPG_RED_IR_U18(6),
    IMU_MG_DDPS_S16(12);

    /** Largest PPG channel value: 18 bits. */
    public static final int PPG_MAX = (1 << 18) - 1;

    private final int sampleBytes;

    RawSampleFormat(int sampleBytes) {
        this.sampleBytes = sampleBytes;
    }

    /** Bytes per sample. */
    public int sampleBytes() {
        return sampleBytes;
    }

    /** Values per sample: 2 (red, ir) or 6 (ax, ay, az, gx, gy, gz). */
    public int channels() {
        return this == PPG_RED_IR_U18 ? 2 : 6;
    }

    /** The wire code: 0 or 1. */
    public int code() {
        return ordinal();
    }

    /** {@code ppg_red_ir_u18}, {@code imu_mg_ddps_s16}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RawSampleFormat ofCode(long code, String path) {
        if (code < 0 || code >= values().length) {
            throw new ContractViolation(path, "format must be 0 … " + (values().length - 1));
        }
        return values()[(int) code];
    }

    public static RawSampleFormat ofJsonName(String name, String path) {
        for (RawSampleFormat f : values()) {
            if (f.jsonName().equals(name)) {
                return f;
            }
        }
        throw new ContractViolation(path, "format must be ppg_red_ir_u18 or imu_mg_ddps_s16");
    }

    /** Appends one sample's {@code values} ({@link #channels()} of them) to {@code out} at {@code offset}. */
    public void pack(int[] values, byte[] out, int offset) {
        if (values.length != channels()) {
            throw new IllegalArgumentException(jsonName() + " has " + channels() + " values per sample");
        }
        if (this == PPG_RED_IR_U18) {
            for (int c = 0; c < 2; c++) {
                int v = Math.clamp(values[c], 0, PPG_MAX);
                out[offset + 3 * c] = (byte) (v >>> 16);
                out[offset + 3 * c + 1] = (byte) (v >>> 8);
                out[offset + 3 * c + 2] = (byte) v;
            }
        } else {
            for (int c = 0; c < 6; c++) {
                int v = Math.clamp(values[c], Short.MIN_VALUE, Short.MAX_VALUE);
                out[offset + 2 * c] = (byte) v;
                out[offset + 2 * c + 1] = (byte) (v >>> 8);
            }
        }
    }

    /** The values of sample {@code index} in {@code samples}. */
    public int[] unpack(byte[] samples, int index) {
        int o = index * sampleBytes;
        int[] v = new int[channels()];
        if (this == PPG_RED_IR_U18) {
            for (int c = 0; c < 2; c++) {
                v[c] = (samples[o + 3 * c] & 0xff) << 16 | (samples[o + 3 * c + 1] & 0xff) << 8
                        | samples[o + 3 * c + 2] & 0xff;
            }
        } else {
            for (int c = 0; c < 6; c++) {
                v[c] = (short) ((samples[o + 2 * c] & 0xff) | samples[o + 2 * c + 1] << 8);
            }
        }
        return v;
    }

    /** Throws unless {@code samples} is a whole, non-empty number of valid samples of this format. */
    void check(byte[] samples, String path) {
        if (samples.length == 0 || samples.length % sampleBytes != 0) {
            throw new ContractViolation(path, jsonName() + " samples must be a non-empty multiple of " + sampleBytes
                    + " bytes, not " + samples.length);
        }
        if (this == PPG_RED_IR_U18) {
            for (int i = 0; i < samples.length; i += 3) {
                if ((samples[i] & 0xfc) != 0) {
                    throw new ContractViolation(path + "[" + i / sampleBytes + "]",
                            "ppg values must be 0 … " + PPG_MAX + " (18 bits)");
                }
            }
        }
    }
}
