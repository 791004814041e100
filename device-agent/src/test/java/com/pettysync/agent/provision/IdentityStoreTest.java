package com.pettysync.agent.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.uplink.PemTls;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit of the permanent identity, crashed between every two of its file system calls: the configuration on
 * disk always loads, as the claim or as the complete permanent identity.
 */
class IdentityStoreTest {
    @TempDir
    Path root;

    /** A power cut at call {@code crashAt} (0 = before the first): that call and all later ones never happen. */
    static final class CrashingDisk implements IdentityStore.Disk {
        final IdentityStore.Disk real = IdentityStore.Disk.real();
        final int crashAt;
        final List<String> calls = new ArrayList<>();

        CrashingDisk(int crashAt) {
            this.crashAt = crashAt;
        }

        private void step(String call) throws IOException {
            if (calls.size() == crashAt) {
                throw new IOException("simulated power cut before " + call);
            }
            calls.add(call);
        }

        @Override
        public void createDirectory(Path dir, Set<PosixFilePermission> mode) throws IOException {
            step("createDirectory " + dir.getFileName());
            real.createDirectory(dir, mode);
        }

        @Override
        public void write(Path file, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
            step("write " + file.getFileName() + " " + PosixFilePermissions.toString(mode));
            real.write(file, bytes, mode);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            step("move " + from.getFileName() + " " + to.getFileName());
            real.move(from, to);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            step("syncDirectory " + dir.getFileName());
            real.syncDirectory(dir);
        }
    }

    record Collar(Path dir, Path config, AgentConfig claim, KeyPair keys, String certificatePem) {
    }

    private Collar collar(String name) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("claim.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("claim.key"), "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        Path config = dir.resolve("agent.json");
        Files.writeString(config, """
                {"endpoint": "localhost", "port": 8884, "caCertificate": "ca.pem", "dataDirectory": "data",
                 "identity": {"claim": {"certificate": "claim.pem", "privateKey": "claim.key",
                   "templateName": "PettySyncCollar", "parameters": {"SerialNumber": "PS0001"}}},
                 "keepAliveS": 60}""");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        KeyPair keys = CertificateSigningRequest.newP256KeyPair();
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                new X500Name("CN=Fake Amazon CA"), BigInteger.TEN, Date.from(Instant.now().minusSeconds(3600)),
                Date.from(Instant.now().plusSeconds(86_400)), new X500Name("CN=AWS IoT Certificate"),
                keys.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(cert);
        }
        return new Collar(dir, config, new AgentConfigParser().parse(config), keys, w.toString());
    }

    private static PermanentIdentity commit(Collar c, IdentityStore.Disk disk) throws IOException {
        return new IdentityStore(disk).commit(c.config(), c.claim().claim(), "collar-PS0001", c.certificatePem(),
                c.keys().getPrivate(), Map.of());
    }

    @Test
    void commitsInTheDocumentedOrderConfigurationRenameAfterEverythingItNamesIsDurable() throws Exception {
        Collar c = collar("order");
        CrashingDisk disk = new CrashingDisk(-1);

        commit(c, disk);

        assertEquals(List.of("createDirectory identity", "write private.key.tmp rw-------",
                "move private.key.tmp private.key", "write certificate.pem.tmp rw-r--r--",
                "move certificate.pem.tmp certificate.pem", "syncDirectory identity",
                "write agent.json.tmp rw-r-----", "move agent.json.tmp agent.json", "syncDirectory order"), disk.calls);
    }

    @Test
    void aCrashAtAnyStepLeavesEitherTheClaimOrTheWholePermanentIdentity() throws Exception {
        int steps = 9;
        for (int crashAt = 0; crashAt <= steps; crashAt++) {
            Collar c = collar("crash-" + crashAt);
            String claimText = Files.readString(c.config());
            CrashingDisk disk = new CrashingDisk(crashAt);
            if (crashAt < steps) {
                assertThrows(IOException.class, () -> commit(c, disk), "crash at step " + crashAt);
            } else {
                commit(c, disk);
            }

            AgentConfig after = new AgentConfigParser().parse(c.config()); // loadable at every step
            if (crashAt < 8) {
                assertTrue(after.isClaim(), "before the rename the claim is in force (step " + crashAt + ")");
                assertEquals(claimText, Files.readString(c.config()), "unchanged byte for byte");
            } else {
                assertFalse(after.isClaim(), "after the rename the identity is permanent (step " + crashAt + ")");
                assertEquals("collar-PS0001", after.thingName());
                ClaimProvisioningTest.assertKeyMatchesCertificate(PemTls.privateKey(after.privateKey()),
                        PemTls.certificates(after.certificate()).get(0));
            }
            Path key = c.dir().resolve("data/identity/private.key.tmp");
            if (Files.exists(key)) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)),
                        "a key left by a crash is owner-only too");
            }
        }
    }

    @Test
    void aNewAttemptAfterACrashReplacesTheLeftOversAndCommits() throws Exception {
        Collar c = collar("again");
        assertThrows(IOException.class, () -> commit(c, new CrashingDisk(4))); // key in place, cert tmp written

        PermanentIdentity id = commit(c, IdentityStore.Disk.real());

        AgentConfig after = new AgentConfigParser().parse(c.config());
        assertEquals(id.certificate(), after.certificate());
        assertFalse(Files.exists(c.dir().resolve("data/identity/certificate.pem.tmp")));
        assertFalse(Files.exists(c.dir().resolve("agent.json.tmp")));
    }

    @Test
    void thePermanentConfigurationKeepsEveryOtherFieldAndPutsTheIdentityWhereTheClaimWas() throws Exception {
        Collar c = collar("fields");

        commit(c, IdentityStore.Disk.real());

        String text = Files.readString(c.config());
        assertFalse(text.contains("\"identity\"") || text.contains("claim"), text);
        assertTrue(text.indexOf("\"dataDirectory\"") < text.indexOf("\"thingName\"")
                && text.indexOf("\"privateKey\"") < text.indexOf("\"keepAliveS\""), text);
        AgentConfig after = new AgentConfigParser().parse(c.config());
        assertEquals(8884, after.port());
        assertEquals(60, after.keepAliveS());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.config())),
                "the configuration keeps its mode");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                c.dir().resolve("data/identity"))));
    }
}
