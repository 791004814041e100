package com.pettysync.agent.uplink;

/**
 * A broker operation failed: connection refused or broken, TLS failure, client-side limit.
 * {@link #credentialsRefused()} tells apart a connect the broker refused for who we are (the TLS handshake failed,
 * or CONNACK 0x86 bad credentials / 0x87 not authorized / 0x8A banned — a revoked, expired or unknown
 * certificate) from one that failed for the network's or the broker's reasons.
 */
public final class BrokerException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean credentialsRefused;

    public BrokerException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public BrokerException(String message) {
        this(message, null, false);
    }

    public BrokerException(String message, Throwable cause, boolean credentialsRefused) {
        super(message, cause);
        this.credentialsRefused = credentialsRefused;
    }

    /** The broker refused our identity at connect (TLS handshake or CONNACK 0x86/0x87/0x8A). */
    public boolean credentialsRefused() {
        return credentialsRefused;
    }
}
