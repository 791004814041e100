package com.pettysync.provisioning.ca;

/** A certificate signing request that must not be sent: unreadable, a refused key, or a signature that fails. */
public final class InvalidCsrException extends Exception {
    public InvalidCsrException(String reason) {
        super("certificate request refused: " + reason);
    }
}
