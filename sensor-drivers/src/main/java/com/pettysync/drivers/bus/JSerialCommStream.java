package com.pettysync.drivers.bus;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;

/**
 * {@link SerialStream} on jSerialComm (the serial library Pi4J recommends; Pi4J 3 has no UART provider of its own
 * that works on a Pi 5).
 *
 * <p>The device path is always given by the caller: on a Pi 5 {@code /dev/serial0} points at the debug UART on the
 * 3-pin JST header, the GPIO 14/15 UART is {@code /dev/ttyAMA0} (with {@code dtparam=uart0}); on a Pi 4/Zero 2 it
 * is {@code /dev/serial0} once the console is moved off it. Reads are semi-blocking with a short timeout so a
 * silent receiver returns 0 instead of hanging.
 */
public final class JSerialCommStream implements SerialStream {
    private final SerialPort port;

    private JSerialCommStream(SerialPort port) {
        this.port = port;
    }

    /** Opens {@code devicePath} at {@code baud} 8N1 with a {@code readTimeoutMillis} read timeout. */
    public static JSerialCommStream open(String devicePath, int baud, int readTimeoutMillis) throws IOException {
        SerialPort port;
        try {
            port = SerialPort.getCommPort(devicePath);
        } catch (RuntimeException e) {
            throw new IOException("no serial port " + devicePath + ": " + e.getMessage(), e);
        }
        port.setComPortParameters(baud, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, readTimeoutMillis, 0);
        if (!port.openPort()) {
            throw new IOException("cannot open serial port " + devicePath + " (error " + port.getLastErrorCode()
                    + "; is the UART enabled and not used by the console?)");
        }
        return new JSerialCommStream(port);
    }

    @Override
    public int read(byte[] destination, int offset, int length) throws IOException {
        int n = port.readBytes(destination, length, offset);
        if (n < 0) {
            throw new IOException("serial read failed on " + port.getSystemPortPath() + " (error "
                    + port.getLastErrorCode() + ")");
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        int n = port.writeBytes(bytes, bytes.length);
        if (n != bytes.length) {
            throw new IOException("serial write failed on " + port.getSystemPortPath() + " (" + n + " of "
                    + bytes.length + " bytes)");
        }
    }

    @Override
    public void close() {
        port.closePort();
    }
}
