package com.pettysync.provisioning.ca;

/**
 * A certificate signing request that cannot be used: not PEM/DER PKCS#10, a key this CA does not sign (only EC P-256
 * and RSA of at least 2048 bits), or a signature that does not verify with the request's own key. The message says
 * which.
 */
public final class InvalidCsrException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidCsrException(String reason) {
        super(reason);
    }

    public InvalidCsrException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
