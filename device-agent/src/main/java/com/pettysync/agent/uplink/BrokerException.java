package com.pettysync.agent.uplink;

/** A broker operation failed: connection refused or broken, TLS failure, client-side limit. */
public final class BrokerException extends Exception {
    private static final long serialVersionUID = 1L;

    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }

    public BrokerException(String message) {
        super(message);
    }
}
