package com.pettysync.drivers.voice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Fixtures in the byte layout ALSA delivers for an SPH0645 on the Pi's I2S (S32_LE, 2 channels): the mic's 18 bits
 * at the top of the left slot, junk in the low bits, the right slot either zero or another mic.
 */
class I2sDecoderTest {
    /** Four frames as captured: left = 0x40000000 (+0.5 FS) with low junk bits, right = 0x80000000 (−1 FS). */
    static final byte[] FIXTURE = HexFormat.of().parseHex(
            "ff3f0040" + "00000080" + "01000040" + "00000080" + "00c0ff3f" + "00000080" + "123f0040" + "00000080");

    static I2sFormat noFilter(I2sFormat.Channel ch) {
        return new I2sFormat(16_000, ch, 18, 0);
    }

    @Test
    void picksTheSelectedSlotAndMasksToValidBits() {
        // With DC removal the first output equals the first input exactly (y0 = x0).
        short[] out = new short[4];
        assertEquals(4, new I2sDecoder(noFilter(I2sFormat.Channel.LEFT)).decode(FIXTURE, 0, FIXTURE.length, out));
        assertEquals(16384, out[0], "0x40003fff masked to 18 bits = 0x40000000 = +0.5 FS");
        short[] right = new short[4];
        new I2sDecoder(noFilter(I2sFormat.Channel.RIGHT)).decode(FIXTURE, 0, FIXTURE.length, right);
        assertEquals(-32768, right[0], "-1 FS saturates at -32768");
    }

    @Test
    void splitInputGivesTheSameSamples() {
        short[] whole = new short[4];
        new I2sDecoder(noFilter(I2sFormat.Channel.LEFT)).decode(FIXTURE, 0, FIXTURE.length, whole);
        I2sDecoder d = new I2sDecoder(noFilter(I2sFormat.Channel.LEFT));
        short[] parts = new short[4];
        int n = 0;
        short[] tmp = new short[4];
        for (int cut : new int[] {3, 9, 13, 32}) {
            int from = cut == 3 ? 0 : cut == 9 ? 3 : cut == 13 ? 9 : 13;
            int m = d.decode(FIXTURE, from, cut - from, tmp);
            System.arraycopy(tmp, 0, parts, n, m);
            n += m;
        }
        assertEquals(4, n);
        assertArrayEquals(whole, parts);
    }

    static byte[] frames(double[] left, int dcOffset) {
        byte[] b = new byte[left.length * 8];
        for (int i = 0; i < left.length; i++) {
            int v = (int) Math.round(left[i] * 2147483647.0) + dcOffset;
            v &= 0xFFFFC000;
            b[i * 8] = (byte) v;
            b[i * 8 + 1] = (byte) (v >> 8);
            b[i * 8 + 2] = (byte) (v >> 16);
            b[i * 8 + 3] = (byte) (v >> 24);
        }
        return b;
    }

    @Test
    void removesDcAndAppliesGain() {
        int n = 32_000;
        double[] tone = new double[n];
        for (int i = 0; i < n; i++) {
            tone[i] = 0.05 * Math.sin(2 * Math.PI * 1000 * i / 16_000.0);
        }
        byte[] in = frames(tone, (int) (-0.03 * 2147483647.0)); // SPH0645-like DC offset
        short[] out = new short[n];
        new I2sDecoder(new I2sFormat(16_000, I2sFormat.Channel.LEFT, 18, 12)).decode(in, 0, in.length, out);
        double mean = 0;
        double sq = 0;
        for (int i = 16_000; i < n; i++) { // second half: filter settled
            mean += out[i];
            sq += (double) out[i] * out[i];
        }
        mean /= 16_000;
        double rms = Math.sqrt(sq / 16_000);
        assertEquals(0, mean, 20, "DC removed");
        double expected = 0.05 / Math.sqrt(2) * Math.pow(10, 12 / 20.0) * 32768;
        assertEquals(expected, rms, expected * 0.03, "+12 dB gain");
    }

    @Test
    void decimatesA48kCaptureToSixteenKilohertz() {
        byte[] in = frames(new double[4800], 0);
        short[] out = new short[2000];
        assertEquals(1600, new I2sDecoder(new I2sFormat(48_000, I2sFormat.Channel.LEFT, 24, 0))
                .decode(in, 0, in.length, out));
    }

    @Test
    void rejectsUnusableFormats() {
        assertThrows(IllegalArgumentException.class, () -> new I2sFormat(44_100, I2sFormat.Channel.LEFT, 24, 0));
        assertThrows(IllegalArgumentException.class, () -> new I2sFormat(16_000, I2sFormat.Channel.LEFT, 12, 0));
        assertThrows(IllegalArgumentException.class, () -> new I2sFormat(16_000, I2sFormat.Channel.LEFT, 24, 99));
        assertTrue(I2sFormat.sph0645().validBits() == 18);
    }
}
