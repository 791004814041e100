package com.pettysync.drivers.voice;

import java.io.IOException;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * An ALSA capture device through {@code javax.sound.sampled}: 32-bit signed little-endian stereo at the format's
 * capture rate (what the I2S overlays such as {@code googlevoicehat-soundcard} or {@code adau7002-simple} deliver).
 *
 * <p>The mixer is picked by a case-insensitive substring of its name (e.g. {@code "sndrpigooglevoi"} or
 * {@code "hw:1"}); an empty selector takes the default capture line.
 */
public final class JavaSoundSource implements PcmSource {
    private final TargetDataLine line;

    private JavaSoundSource(TargetDataLine line) {
        this.line = line;
    }

    public static JavaSoundSource open(String mixerSelector, I2sFormat format) throws IOException {
        AudioFormat af = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, format.captureRate(), 32, 2, 8,
                format.captureRate(), false);
        DataLine.Info info = new DataLine.Info(TargetDataLine.class, af);
        try {
            TargetDataLine line = null;
            if (mixerSelector == null || mixerSelector.isEmpty()) {
                line = (TargetDataLine) AudioSystem.getLine(info);
            } else {
                String want = mixerSelector.toLowerCase(Locale.ROOT);
                for (Mixer.Info mi : AudioSystem.getMixerInfo()) {
                    Mixer m = AudioSystem.getMixer(mi);
                    if ((mi.getName() + " " + mi.getDescription()).toLowerCase(Locale.ROOT).contains(want)
                            && m.isLineSupported(info)) {
                        line = (TargetDataLine) m.getLine(info);
                        break;
                    }
                }
                if (line == null) {
                    throw new IOException("no capture mixer matching '" + mixerSelector + "' supports " + af);
                }
            }
            line.open(af, format.captureRate() / 10 * 8); // 100 ms of buffer in the driver
            line.start();
            return new JavaSoundSource(line);
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            throw new IOException("cannot open capture line " + af + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int read(byte[] destination, int offset, int length) {
        return line.read(destination, offset, length - length % 8);
    }

    @Override
    public void close() {
        line.stop();
        line.close();
    }
}
