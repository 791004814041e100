package com.pettysync.drivers.voice;

/**
 * Turns captured I2S bytes into 16 kHz mono 16-bit samples: pick the slot, mask to the valid bits, remove DC,
 * apply gain, decimate, saturate.
 *
 * <p>Input layout (ALSA {@code S32_LE}, 2 channels), one frame:
 * <pre>
 *  byte  0       1       2       3       4       5       6       7
 *       +-------+-------+-------+-------+-------+-------+-------+-------+
 *       | left slot, int32 little-endian | right slot, int32 LE          |
 *       +-------+-------+-------+-------+-------+-------+-------+-------+
 *       the mic's sample is MSB-aligned: bits 31..(32-validBits), two's complement
 * </pre>
 * DC removal is a one-pole high-pass at 10 Hz ({@code y = x - x1 + a·y1}); MEMS mics carry a large DC offset (the
 * SPH0645's is several percent of full scale). Decimation averages {@link I2sFormat#decimation()} samples, a crude
 * low-pass that is enough for the energy gate and the classifier's mel bands below 8 kHz. Output saturates at
 * ±32767 instead of wrapping. Partial frames are kept for the next call, so input may be split anywhere.
 *
 * <p>Not thread-safe: one decoder per capture thread.
 */
public final class I2sDecoder {
    private final I2sFormat format;
    private final int slotOffset;
    private final int mask;
    private final double a;
    private final double gain;
    private final byte[] partial = new byte[8];
    private int partialLength;
    private double x1;
    private double y1;
    private double acc;
    private int accCount;

    public I2sDecoder(I2sFormat format) {
        this.format = format;
        this.slotOffset = format.channel() == I2sFormat.Channel.LEFT ? 0 : 4;
        this.mask = format.validBits() == 32 ? -1 : -(1 << (32 - format.validBits()));
        this.a = Math.exp(-2 * Math.PI * 10.0 / format.captureRate());
        this.gain = Math.pow(10, format.gainDb() / 20);
    }

    /** Output samples that {@code byteCount} input bytes can yield at most (for sizing {@code out}). */
    public int maxOutput(int byteCount) {
        return (byteCount + partialLength) / 8 / format.decimation() + 1;
    }

    /** Decodes {@code in[offset..offset+length)} into {@code out}; returns the number of samples written. */
    public int decode(byte[] in, int offset, int length, short[] out) {
        int written = 0;
        int i = offset;
        int end = offset + length;
        if (partialLength > 0) {
            while (partialLength < 8 && i < end) {
                partial[partialLength++] = in[i++];
            }
            if (partialLength < 8) {
                return 0;
            }
            written = frame(partial, 0, out, written);
            partialLength = 0;
        }
        while (end - i >= 8) {
            written = frame(in, i, out, written);
            i += 8;
        }
        while (i < end) {
            partial[partialLength++] = in[i++];
        }
        return written;
    }

    private int frame(byte[] b, int o, short[] out, int written) {
        int p = o + slotOffset;
        int raw = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | b[p + 3] << 24;
        double x = (raw & mask) / 2147483648.0;
        double y = x - x1 + a * y1;
        x1 = x;
        y1 = y;
        acc += y;
        if (++accCount == format.decimation()) {
            double v = acc / accCount * gain * 32768.0;
            acc = 0;
            accCount = 0;
            long r = Math.round(v);
            out[written++] = (short) Math.max(-32768, Math.min(32767, r));
        }
        return written;
    }
}
