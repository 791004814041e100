package com.pettysync.simulator.cloud.provisioning;

import java.util.Optional;

/**
 * What fleet provisioning needs from the registry of things, certificates, policies and provisioning templates.
 * {@link FleetProvisioningService} calls it under its own lock, one call at a time.
 *
 * <p>Failure model: a method refuses with a {@link ProvisioningRefusal} whose reason the device sees in its
 * {@code rejected} reply; any other exception is reported to the device as 500 {@code InternalFailure} and logged.
 * {@link #provision} must be all-or-nothing: a refused or failed call leaves no thing, attachment or status change
 * behind, so the device can retry with the same ownership token.
 */
public interface FleetProvisioningBackend {
    /**
     * Signs {@code csr} with the registry's CA and stores the certificate with status {@code PENDING_ACTIVATION},
     * attached to nothing (AWS: "The new certificate has a PENDING_ACTIVATION status").
     *
     * @param csr a request that already passed AWS's checks ({@link CertificateSigningRequest#parse})
     * @return the new certificate's ID and PEM
     * @throws ProvisioningRefusal when the registry refuses the request (e.g. {@code INVALID_CSR} for a subject it
     *     will not sign)
     */
    IssuedCertificate issueCertificate(CertificateSigningRequest csr) throws ProvisioningRefusal;

    /** The provisioning template named {@code templateName} (1–36 of {@code [0-9A-Za-z_-]}), if there is one. */
    Optional<StoredTemplate> template(String templateName);

    /**
     * Applies an evaluated template for its certificate ({@link ProvisioningPlan#certificateId}), all or nothing:
     * create the thing, or update an existing one as {@link ThingSpec#resolveAgainst} says; attach the certificate
     * to the thing (in addition to any certificate already attached: AWS things may have several principals); attach
     * each policy to the certificate (creating a policy that has a document and does not exist yet); set the
     * certificate's status.
     *
     * @throws ProvisioningRefusal {@code RESOURCE_CONFLICT} (OverrideSettings FAIL on an existing thing),
     *     {@code RESOURCE_REGISTRATION_FAILED} (unknown thing type, unknown policy without a document, a certificate
     *     that is no longer {@code PENDING_ACTIVATION})
     */
    void provision(ProvisioningPlan plan) throws ProvisioningRefusal;

    /**
     * The ownership token of certificate {@code certificateId} expired unused: delete the certificate if it is still
     * {@code PENDING_ACTIVATION} and attached to no thing or policy, as AWS does; otherwise leave it.
     */
    void discardUnclaimedCertificate(String certificateId);

    /**
     * A certificate the registry issued.
     *
     * @param certificateId  its ID (AWS: the SHA-256 of the DER certificate, 64 hex digits)
     * @param certificatePem the certificate, PEM
     */
    record IssuedCertificate(String certificateId, String certificatePem) {
        public IssuedCertificate {
            java.util.Objects.requireNonNull(certificateId, "certificateId");
            java.util.Objects.requireNonNull(certificatePem, "certificatePem");
        }
    }

    /**
     * A provisioning template as stored.
     *
     * @param name    the template name
     * @param body    the template body (JSON text, AWS: at most 10,240 characters)
     * @param enabled whether devices may provision with it
     */
    record StoredTemplate(String name, String body, boolean enabled) {
        public StoredTemplate {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(body, "body");
        }
    }
}
