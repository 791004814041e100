package com.pettysync.ml.diag;

import com.pettysync.cli.BadInputException;
import com.pettysync.ml.dsp.Biquad;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads a mono 16-bit PCM RIFF/WAVE file and returns 16 kHz samples (other rates are low-passed when needed and
 * linearly resampled). Everything else — wrong container, compressed or stereo audio, a data chunk running past
 * the end of the file, no samples — is a {@link BadInputException} naming the problem.
 *
 * <pre>
 * "RIFF" u32 size "WAVE" then chunks: id[4] u32 size payload (padded to even)
 *   "fmt " u16 format(1 = PCM) u16 channels u32 rate u32 byteRate u16 blockAlign u16 bits
 *   "data" little-endian int16 samples
 * </pre>
 */
public final class WavFile {
    static final int TARGET_RATE = 16_000;

    private WavFile() {}

    public static short[] read16k(byte[] file, String name) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file.length < 12 || !tag(file, 0, "RIFF") || !tag(file, 8, "WAVE")) {
            throw new BadInputException(name + ": not a WAV file (no RIFF/WAVE header)");
        }
        int pos = 12;
        int rate = -1;
        short[] samples = null;
        while (pos + 8 <= file.length) {
            String id = new String(file, pos, 4, StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (body + size > file.length) {
                throw new BadInputException(name + ": truncated WAV file (chunk '" + id.strip() + "' declares " + size
                        + " bytes, " + (file.length - body) + " present)");
            }
            if (id.equals("fmt ")) {
                if (size < 16) {
                    throw new BadInputException(name + ": WAV format chunk too short");
                }
                int format = Short.toUnsignedInt(b.getShort(body));
                int channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format != 1 || bits != 16) {
                    throw new BadInputException(name + ": need 16-bit PCM WAV, got format " + format + " with " + bits
                            + " bits");
                }
                if (channels != 1) {
                    throw new BadInputException(name + ": need mono WAV, got " + channels + " channels");
                }
                if (rate < 4000 || rate > 192_000) {
                    throw new BadInputException(name + ": unsupported sample rate " + rate);
                }
            } else if (id.equals("data")) {
                if (rate < 0) {
                    throw new BadInputException(name + ": WAV data before its format chunk");
                }
                samples = new short[(int) (size / 2)];
                b.position(body);
                b.asShortBuffer().get(samples);
            }
            pos = (int) (body + size + (size & 1));
        }
        if (samples == null || samples.length == 0) {
            throw new BadInputException(name + ": WAV file has no audio samples");
        }
        return rate == TARGET_RATE ? samples : resample(samples, rate);
    }

    private static boolean tag(byte[] f, int at, String tag) {
        return new String(f, at, 4, StandardCharsets.US_ASCII).equals(tag);
    }

    static short[] resample(short[] in, int rate) {
        double[] x = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            x[i] = in[i];
        }
        if (rate > TARGET_RATE) { // anti-alias below the new Nyquist frequency
            Biquad lp = Biquad.lowPass(0.45 * TARGET_RATE, rate);
            lp.apply(x, false);
            Biquad.lowPass(0.45 * TARGET_RATE, rate).apply(x, true);
        }
        int n = (int) ((long) in.length * TARGET_RATE / rate);
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            double pos = (double) i * rate / TARGET_RATE;
            int k = (int) pos;
            double frac = pos - k;
            double v = k + 1 < x.length ? x[k] * (1 - frac) + x[k + 1] * frac : x[Math.min(k, x.length - 1)];
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
        return out;
    }

    /** A mono 16-bit WAV file of {@code pcm} at {@code rate} (used by tests and field tooling). */
    static byte[] write(short[] pcm, int rate) {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + pcm.length * 2)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII)).put("fmt ".getBytes(StandardCharsets.US_ASCII))
                .putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII))
                .putInt(pcm.length * 2);
        for (short s : pcm) {
            b.putShort(s);
        }
        return b.array();
    }
}
