package com.pettysync.drivers.voice;

import java.io.IOException;

/**
 * Captured PCM bytes in the {@link I2sDecoder} layout. {@link JavaSoundSource} reads an ALSA capture device; the
 * twins synthesise audio.
 */
public interface PcmSource extends AutoCloseable {

    /** Reads captured bytes; may block up to one capture period; 0 when nothing is ready; -1 at end. */
    int read(byte[] destination, int offset, int length) throws IOException;

    @Override
    void close();

    /** Opens a source; called again to retry after a failure. */
    @FunctionalInterface
    interface Opener {
        PcmSource open() throws IOException;
    }
}
