package com.pettysync.drivers.bus;

import java.io.FileNotFoundException;
import java.io.IOException;

/**
 * A UART that may come and go (a receiver unplugged, a USB serial adapter re-enumerated, a port that was not there
 * at boot): opens the port on the first read, and after a failed read closes it and opens it again on the next.
 *
 * <p>A port that cannot be opened reads as {@link FileNotFoundException} (the GNSS driver reports it as
 * {@code UNAVAILABLE}); the caller's poll back-off spaces the attempts. Not thread-safe: one polling thread.
 */
public final class ReopeningSerialStream implements SerialStream {

    /** Opens the port. */
    @FunctionalInterface
    public interface Opener {
        SerialStream open() throws IOException;
    }

    private final Opener opener;
    private final String name;
    private SerialStream port;
    private long opens;

    public ReopeningSerialStream(String name, Opener opener) {
        this.name = name;
        this.opener = opener;
    }

    private SerialStream port() throws IOException {
        if (port == null) {
            try {
                port = opener.open();
            } catch (IOException | RuntimeException e) {
                FileNotFoundException f = new FileNotFoundException(name + ": " + e.getMessage());
                f.initCause(e);
                throw f;
            }
            opens++;
        }
        return port;
    }

    @Override
    public int read(byte[] destination, int offset, int length) throws IOException {
        SerialStream p = port();
        try {
            return p.read(destination, offset, length);
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        SerialStream p = port();
        try {
            p.write(bytes);
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException(name + ": " + e.getMessage(), e);
        }
    }

    /** How many times the port was opened (1 after the first read, +1 per recovery). */
    public long opens() {
        return opens;
    }

    @Override
    public void close() {
        SerialStream p = port;
        port = null;
        if (p != null) {
            p.close();
        }
    }
}
