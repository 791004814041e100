package com.pettysync.simulator.cloud.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry without HTTP: transactions, listeners, and two connections on one file (two processes). */
class RegistryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);
    private static final String POLICY = IotPolicy.forCollars("us-east-1", "123456789012", RuleName.DEFAULT).json();
    private final LocalCertificateAuthority ca = LocalCertificateAuthority.create("test", CLOCK);

    @TempDir
    Path dir;

    private Registry open() {
        return Registry.open(dir.resolve(Registry.FILE), CLOCK, "us-east-1", "123456789012");
    }

    @Test
    void provisionCollarIsOneTransaction() {
        try (Registry r = open()) {
            IssuedCredential collar = ca.issueCollar("tx-1");
            Registry.ProvisionedCollar p = r.provisionCollar("tx-1", collar.certificate(), ca.certificate(),
                    "pettysync-collar", POLICY);
            assertEquals(CertificateStatus.ACTIVE, p.certificate().status());
            assertTrue(r.things().isAttached("tx-1", p.certificate().arn()));
            // the same certificate again for another thing: refused, and the other thing was not created either
            RegistryException e = assertThrows(RegistryException.class, () -> r.provisionCollar("tx-2",
                    collar.certificate(), ca.certificate(), "pettysync-collar", POLICY));
            assertEquals(RegistryException.Reason.ALREADY_EXISTS, e.reason());
            assertEquals(p.certificate().id(), e.resourceId());
            assertTrue(r.things().find("tx-2").isEmpty(), "rolled back whole");
        }
    }

    @Test
    void listenersHearOfStatusAndAttachmentChangesAfterTheCommit() {
        try (Registry r = open()) {
            List<String> heard = new ArrayList<>();
            r.onCertificateChanged(id -> {
                heard.add(id + ":" + r.certificates().find(id).map(c -> c.status().name()).orElse("deleted"));
            });
            RegisteredCertificate c = r.certificates().register(ca.issueCollar("l-1").certificate(), ca.certificate(),
                    CertificateStatus.ACTIVE);
            r.things().create("l-1", null, Map.of());
            r.things().attachPrincipal("l-1", c.arn());
            r.certificates().updateStatus(c.id(), CertificateStatus.REVOKED);
            r.things().detachPrincipal("l-1", c.arn());
            r.certificates().delete(c.id(), false);
            assertEquals(List.of(c.id() + ":ACTIVE", c.id() + ":REVOKED", c.id() + ":REVOKED", c.id() + ":deleted"),
                    heard, "each listener call sees the committed state");
        }
    }

    @Test
    void aSecondConnectionOnTheFileSeesCommittedWritesAtOnce() {
        try (Registry cloud = open(); Registry issueCommand = open()) {
            IssuedCredential collar = ca.issueCollar("mp-1");
            issueCommand.provisionCollar("mp-1", collar.certificate(), ca.certificate(), "pettysync-collar", POLICY);
            String id = Certificates.idOf(collar.certificate());
            assertEquals(CertificateStatus.ACTIVE, cloud.certificates().describe(id).status());
            assertEquals(List.of("pettysync-collar"), cloud.policies().attachedTo(cloud.arns().certificate(id))
                    .stream().map(Policy::name).toList());
        }
    }

    @Test
    void refusalsNameTheFieldAndTheRule() {
        try (Registry r = open()) {
            RegistryException e = assertThrows(RegistryException.class, () -> r.things().create("x y", null,
                    Map.of()));
            assertEquals(RegistryException.Reason.INVALID, e.reason());
            assertTrue(e.getMessage().contains("thingName") && e.getMessage().contains("[a-zA-Z0-9:_-]"),
                    e.getMessage());
            RegistryException value = assertThrows(RegistryException.class, () -> r.things().create("ok", null,
                    Map.of("k", "has space")));
            assertTrue(value.getMessage().contains("attributePayload.attributes.k"), value.getMessage());
        }
    }
}
