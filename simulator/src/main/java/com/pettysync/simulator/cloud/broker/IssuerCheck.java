package com.pettysync.simulator.cloud.broker;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a client certificate was issued by the local CA and is valid at the clock's now — what PKIX path
 * validation of a one-certificate path under the CA as the only trust anchor decides, without building a
 * {@code CertPath}, {@code PKIXParameters} and validator per connect. The CA is checked once, when this is built (a
 * CA certificate that signs itself); each leaf then costs one signature verification with the CA's key (never
 * cached: a certificate with a forged signature is refused on every connect), a comparison of its issuer with the
 * CA's subject, its validity dates on the injected clock (an expired certificate is refused as soon as the clock
 * passes its end), and PKIX's rule that a critical extension it does not know refuses the certificate. Revocation
 * is not decided here: the registry's certificate status is ({@link ClientAuthorization}). Thread-safe.
 */
final class IssuerCheck {
    /** The critical extensions PKIX path validation processes (all others make it fail). */
    private static final Set<String> KNOWN_CRITICAL = Set.of(
            "2.5.29.15", // key usage
            "2.5.29.17", // subject alternative name
            "2.5.29.19", // basic constraints
            "2.5.29.30", // name constraints
            "2.5.29.32", // certificate policies
            "2.5.29.33", // policy mappings
            "2.5.29.36", // policy constraints
            "2.5.29.37", // extended key usage
            "2.5.29.54"); // inhibit any policy

    private final X509Certificate ca;
    private final X500Principal caSubject;
    private final PublicKey caKey;
    private final Clock clock;

    /** @throws IllegalArgumentException when {@code ca} is not a CA certificate that verifies with its own key */
    IssuerCheck(X509Certificate ca, Clock clock) {
        this.ca = ca;
        this.caSubject = ca.getSubjectX500Principal();
        this.caKey = ca.getPublicKey();
        this.clock = clock;
        if (ca.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("not a CA certificate (no basic constraints cA): " + caSubject);
        }
        try {
            ca.verify(caKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the CA certificate " + caSubject + " does not verify with its own key: "
                    + e.getMessage(), e);
        }
    }

    /** Whether {@code leaf} was signed by the CA and is valid now (see the class comment). */
    boolean issued(X509Certificate leaf) {
        if (leaf == null || !caSubject.equals(leaf.getIssuerX500Principal())) {
            return false;
        }
        Set<String> critical = leaf.getCriticalExtensionOIDs();
        if (critical != null && !KNOWN_CRITICAL.containsAll(critical)) {
            return false;
        }
        try {
            Date now = Date.from(clock.instant());
            leaf.checkValidity(now);
            leaf.verify(caKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The CA whose certificates this accepts. */
    X509Certificate ca() {
        return ca;
    }
}
