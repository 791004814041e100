package com.pettysync.drivers;

/**
 * Why a sensor is not delivering. The numeric {@link #code()} is stable: it is what the agent reports in a fault
 * event (wire event type 7) and what {@code diag sensors} prints.
 */
public enum FaultCode {
    /** A bus transfer failed after the part had answered (arbitration lost, timeout, I/O error). */
    BUS_ERROR(1),
    /** Nothing acknowledges the part's address: missing, unpowered or a loose cable. */
    NO_ACK(2),
    /** Something answers at the address but its identity register is wrong. */
    WRONG_PART(3),
    /** The part answers but its data does not advance (FIFO write pointer or data-ready stuck). */
    STUCK(4),
    /** A stream (UART, microphone) delivers nothing or only silence. */
    NO_DATA(5),
    /** Values outside what the part can physically report. */
    OUT_OF_RANGE(6),
    /** The device node could not be opened (no such serial port, no ALSA capture device). */
    UNAVAILABLE(7),
    /** The stream arrives but is mostly corrupt (bad NMEA checksums). */
    CORRUPT_DATA(8);

    private final int code;

    FaultCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
