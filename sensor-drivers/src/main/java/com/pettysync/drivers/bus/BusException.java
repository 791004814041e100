package com.pettysync.drivers.bus;

import java.io.IOException;

/**
 * A bus transfer failed. {@link #noAck()} tells a missing part (nobody acknowledged the address) from any other
 * failure of a part that is there.
 */
public final class BusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean noAck;

    public BusException(String message, boolean noAck) {
        super(message);
        this.noAck = noAck;
    }

    public BusException(String message, boolean noAck, Throwable cause) {
        super(message, cause);
        this.noAck = noAck;
    }

    public boolean noAck() {
        return noAck;
    }
}
