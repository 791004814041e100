package com.pettysync.drivers.bus;

import java.io.IOException;

/**
 * A byte stream to a UART device, as the GNSS reader needs it. Implementations: {@link JSerialCommStream} and the
 * twins' in-memory streams.
 *
 * <p>{@link #read} never blocks for longer than the implementation's configured read timeout and returns 0 when
 * nothing arrived, so a silent receiver cannot hang a poll.
 */
public interface SerialStream extends AutoCloseable {

    /** Reads what is available (up to {@code length} bytes); 0 when nothing arrived. */
    int read(byte[] destination, int offset, int length) throws IOException;

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws IOException;

    @Override
    void close();
}
