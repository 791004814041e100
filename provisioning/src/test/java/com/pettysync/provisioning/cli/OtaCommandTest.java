package com.pettysync.provisioning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.cli.Pettysync;
import com.pettysync.provisioning.ota.CodeSigningKey;
import com.pettysync.provisioning.ota.SignedManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pettysync ota}'s refusals: bad input is exit 2 with a one-line reason, and nothing is sent. */
class OtaCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Pettysync.execute(args, List.of(new ProvisioningCommands()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void keygenPrintsTheCertificateAndNeverReplacesAKeySilently() throws Exception {
        assertEquals(0, run("ota", "keygen", "--out", dir.toString()));
        assertTrue(out.toString().startsWith("-----BEGIN CERTIFICATE-----"));
        byte[] key = Files.readAllBytes(dir.resolve(CodeSigningKey.KEY_FILE));
        assertEquals(2, run("ota", "keygen", "--out", dir.toString()));
        assertTrue(err.toString().contains("--force"), err.toString());
        assertTrue(java.util.Arrays.equals(key, Files.readAllBytes(dir.resolve(CodeSigningKey.KEY_FILE))));
    }

    @Test
    void publishRefusesAManifestOfAnotherVersionOrAChangedArtifactBeforeSendingAnything() throws Exception {
        assertEquals(0, run("ota", "keygen", "--out", dir.toString()));
        Path artifact = dir.resolve("agent.zip");
        Files.write(artifact, new byte[] {1, 2, 3, 4});
        assertEquals(0, run("ota", "sign", "--key", dir.resolve(CodeSigningKey.KEY_FILE).toString(), "--artifact",
                artifact.toString(), "--version", "1044"));
        assertTrue(Files.exists(SignedManifest.besideArtifact(artifact)));
        // an endpoint nothing listens on: reaching it would be exit 1, not 2
        String[] common = {"ota", "publish", "--endpoint-url", "https://127.0.0.1:1", "--s3-endpoint-url",
                "https://127.0.0.1:1", "--group", "g", "--artifact", artifact.toString()};
        assertEquals(2, run(concat(common, "--version", "1045")));
        assertTrue(err.toString().contains("manifest is for version 1044"), err.toString());
        Files.write(artifact, new byte[] {1, 2, 3, 5});
        assertEquals(2, run(concat(common, "--version", "1044")));
        assertTrue(err.toString().contains("sign it again"), err.toString());
        Files.write(artifact, new byte[] {1, 2, 3, 4});
        assertEquals(2, run(concat(common, "--version", "1044", "--rollout", "base=10,increment=9")));
        assertTrue(err.toString().contains("increment must be 1.1 to 5"), err.toString());
        assertEquals(2, run(concat(common, "--version", "1044", "--abort", "failed>5%")));
    }

    @Test
    void signRefusesAKeyThatIsNotP256() throws Exception {
        Path rsa = dir.resolve("rsa.pem");
        var g = java.security.KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        com.pettysync.provisioning.ca.PemFiles.writePrivateKey(rsa, g.generateKeyPair().getPrivate());
        Path artifact = dir.resolve("a.bin");
        Files.write(artifact, new byte[] {1});
        assertEquals(2, run("ota", "sign", "--key", rsa.toString(), "--artifact", artifact.toString(), "--version",
                "1"));
        assertTrue(err.toString().contains("not an EC P-256 private key"), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
