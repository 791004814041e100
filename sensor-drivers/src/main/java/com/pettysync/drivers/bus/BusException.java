package com.pettysync.drivers.bus;

import java.io.IOException;

/**
 * A bus transfer failed. {@link #noAck()} tells a missing part (nobody acknowledged the address) and
 * {@link #unavailable()} a bus that cannot be opened from any other failure of a part that is there.
 */
public final class BusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean noAck;
    private boolean unavailable;

    public BusException(String message, boolean noAck) {
        super(message);
        this.noAck = noAck;
    }

    public BusException(String message, boolean noAck, Throwable cause) {
        super(message, cause);
        this.noAck = noAck;
    }

    /** The bus itself cannot be opened (no {@code /dev/i2c-N}, no permission). */
    public static BusException unavailable(String message, Throwable cause) {
        BusException e = new BusException(message, false, cause);
        e.unavailable = true;
        return e;
    }

    public boolean unavailable() {
        return unavailable;
    }

    public boolean noAck() {
        return noAck;
    }
}
