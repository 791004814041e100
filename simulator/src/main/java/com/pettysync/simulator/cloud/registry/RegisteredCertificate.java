package com.pettysync.simulator.cloud.registry;

import java.time.Instant;

/**
 * A certificate in the registry.
 *
 * @param id               lowercase hex SHA-256 of the DER encoding (as AWS IoT computes certificate ids)
 * @param arn              {@code arn:aws:iot:REGION:ACCOUNT:cert/ID}
 * @param pem              the certificate, PEM
 * @param status           its status
 * @param caCertificateId  the id of the CA certificate that signed it
 * @param creationDate     when it was registered
 * @param lastModifiedDate when its status last changed
 * @param notBefore        validity start
 * @param notAfter         validity end
 * @param customerVersion  1 at registration, +1 on every status change
 * @param generationId     changes with every modification
 */
public record RegisteredCertificate(String id, String arn, String pem, CertificateStatus status,
        String caCertificateId, Instant creationDate, Instant lastModifiedDate, Instant notBefore, Instant notAfter,
        int customerVersion, String generationId) {}
