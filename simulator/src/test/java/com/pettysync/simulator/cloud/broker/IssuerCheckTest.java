package com.pettysync.simulator.cloud.broker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.MutableClock;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-connect issuer check decides as PKIX path validation under the CA would, on the injected clock. */
class IssuerCheckTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final LocalCertificateAuthority ca = LocalCertificateAuthority.create("PettySync local root CA", clock);
    private final IssuerCheck check = new IssuerCheck(ca.certificate(), clock);

    @Test
    void acceptsWhatTheCaIssuedAndThePkixCheckAccepts() {
        X509Certificate leaf = ca.issueCollar("collar-0001").certificate();
        assertTrue(check.issued(leaf));
        assertTrue(ca.verifies(leaf));
        assertTrue(check.issued(leaf), "the same certificate again");
    }

    @Test
    void refusesASignatureByAnotherKeyUnderTheSameIssuerName() {
        check.issued(ca.issueCollar("collar-0001").certificate()); // warm
        LocalCertificateAuthority sameName = LocalCertificateAuthority.create("PettySync local root CA", clock);
        X509Certificate forged = sameName.issueCollar("collar-0001").certificate();
        assertTrue(forged.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal()));
        assertFalse(check.issued(forged));
        assertFalse(ca.verifies(forged));
    }

    @Test
    void refusesAnotherIssuerAndAnExpiredOrNotYetValidCertificate() {
        LocalCertificateAuthority other = LocalCertificateAuthority.create("Someone else", clock);
        assertFalse(check.issued(other.issueCollar("collar-0001").certificate()));

        X509Certificate leaf = ca.issueCollar("collar-0002").certificate();
        clock.advance(LocalCertificateAuthority.COLLAR_VALIDITY.plusDays(1));
        assertFalse(check.issued(leaf), "expired on the clock");
        assertFalse(ca.verifies(leaf));
        clock.advance(LocalCertificateAuthority.COLLAR_VALIDITY.plusDays(1).negated());
        assertTrue(check.issued(leaf));
        clock.advance(Duration.ofDays(-2));
        assertFalse(check.issued(leaf), "not yet valid on the clock");
    }

    @Test
    void refusesALeafAsTheCa() {
        IssuedCredential leaf = ca.issueCollar("collar-0003");
        assertThrows(IllegalArgumentException.class, () -> new IssuerCheck(leaf.certificate(), clock));
    }
}
