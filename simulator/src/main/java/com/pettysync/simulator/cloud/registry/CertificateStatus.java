package com.pettysync.simulator.cloud.registry;

/**
 * AWS IoT's certificate statuses (CertificateStatus). Only an {@link #ACTIVE} certificate authenticates a device.
 */
public enum CertificateStatus {
    ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER, REGISTER_INACTIVE, PENDING_ACTIVATION;

    /** Whether a device presenting the certificate may connect. */
    public boolean authenticates() {
        return this == ACTIVE;
    }
}
