package com.pettysync.drivers.voice;

/**
 * How the I2S microphone arrives from ALSA and how it is turned into the pipeline's 16 kHz mono.
 *
 * @param captureRate frames per second captured (16000 or a multiple of it; decimated by averaging)
 * @param channel the stereo slot the mic drives: LEFT when its select pin is low (SPH0645 SEL = GND, ICS-43434
 *     L/R = GND), RIGHT when high
 * @param validBits data bits at the top of each 32-bit slot (18 for the SPH0645, 24 for the ICS-43434); the bits
 *     below are noise or zero and are masked
 * @param gainDb gain applied after DC removal
 */
public record I2sFormat(int captureRate, Channel channel, int validBits, double gainDb) {
    public static final int OUTPUT_RATE = 16_000;

    public enum Channel { LEFT, RIGHT }

    public I2sFormat {
        if (captureRate < OUTPUT_RATE || captureRate % OUTPUT_RATE != 0) {
            throw new IllegalArgumentException("capture rate must be a multiple of 16000 Hz: " + captureRate);
        }
        if (validBits < 16 || validBits > 32) {
            throw new IllegalArgumentException("valid bits must be 16..32: " + validBits);
        }
        if (!(gainDb >= -40 && gainDb <= 60)) {
            throw new IllegalArgumentException("gain must be -40..60 dB: " + gainDb);
        }
    }

    /** SPH0645LM4H on the left slot at 16 kHz, +12 dB (its output is about 18 dB below a 24-bit mic's). */
    public static I2sFormat sph0645() {
        return new I2sFormat(OUTPUT_RATE, Channel.LEFT, 18, 12);
    }

    /** ICS-43434 on the left slot at 16 kHz, no gain. */
    public static I2sFormat ics43434() {
        return new I2sFormat(OUTPUT_RATE, Channel.LEFT, 24, 0);
    }

    public int decimation() {
        return captureRate / OUTPUT_RATE;
    }
}
