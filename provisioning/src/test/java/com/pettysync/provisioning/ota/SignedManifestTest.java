package com.pettysync.provisioning.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobSignature;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedManifestTest {
    @TempDir
    Path dir;

    private final CodeSigningKey key = CodeSigningKey.generate("test-fleet", Duration.ofDays(1), Clock.systemUTC());

    private Path artifact(byte[] bytes) throws Exception {
        Path f = dir.resolve("agent-1044.tar");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void signatureIsContractSevensOverTheArtifactsSha256() throws Exception {
        byte[] bytes = "the new agent".getBytes();
        SignedManifest m = SignedManifest.sign(key.privateKey(), artifact(bytes), 1044,
                JobOperation.FIRMWARE_UPDATE);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(bytes);
        assertTrue(JobSignature.verify(key.certificate().getPublicKey(), sha, Base64.getDecoder()
                .decode(m.signature())));
        assertTrue(m.verifiedBy(key.certificate()));
        assertFalse(m.verifiedBy(CodeSigningKey.generate("other", Duration.ofDays(1), Clock.systemUTC())
                .certificate()), "another fleet's certificate");
        assertEquals(bytes.length, m.size());
    }

    @Test
    void manifestRoundTripsAndTheDocumentCarriesThePresignedPlaceholder() throws Exception {
        Path a = artifact(new byte[] {1, 2, 3});
        SignedManifest m = SignedManifest.sign(key.privateKey(), a, 7, JobOperation.MODEL_UPDATE);
        Path file = SignedManifest.besideArtifact(a);
        m.write(file);
        assertEquals(m, SignedManifest.read(file));
        String doc = m.jobDocumentWithPresignedUrl(URI.create("https://localhost:9/pettysync-ota/models/7/x.tflite"));
        var json = new ObjectMapper().readTree(doc);
        assertEquals("${aws:iot:s3-presigned-url:https://localhost:9/pettysync-ota/models/7/x.tflite}",
                json.get("url").asText());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("url", "https://localhost:9/presigned?sig");
        JobDocument parsed = JobDocument.parse(json.toString());
        assertEquals(JobOperation.MODEL_UPDATE, parsed.operation());
        assertEquals(m.sha256(), parsed.sha256());
    }

    @Test
    void aChangedArtifactOrATamperedManifestIsRefused() throws Exception {
        Path a = artifact(new byte[] {1, 2, 3});
        SignedManifest m = SignedManifest.sign(key.privateKey(), a, 7, JobOperation.FIRMWARE_UPDATE);
        Files.write(a, new byte[] {1, 2, 4});
        assertThrows(java.io.IOException.class, () -> m.checkArtifact(a));
        Path file = dir.resolve("m.json");
        m.write(file);
        Files.writeString(file, Files.readString(file).replace("\"version\" : 7", "\"version\" : -7"));
        assertThrows(java.io.IOException.class, () -> SignedManifest.read(file));
        Files.writeString(file, "{\"artifact\":\"x\",\"operation\":\"firmware-update\",\"version\":1,\"size\":3,"
                + "\"sha256\":\"" + m.sha256() + "\",\"signature\":\"\"}");
        assertThrows(java.io.IOException.class, () -> SignedManifest.read(file), "unsigned");
    }

    @Test
    void keygenWritesThePrivateKeyOwnerOnly() throws Exception {
        key.write(dir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(CodeSigningKey.KEY_FILE))));
        assertEquals(key.privateKey(), CodeSigningKey.readPrivateKey(dir.resolve(CodeSigningKey.KEY_FILE)));
        assertEquals(key.certificate(), CodeSigningKey.readCertificate(dir.resolve(CodeSigningKey.CERTIFICATE_FILE)));
        assertEquals(java.util.List.of("1.3.6.1.5.5.7.3.3"), key.certificate().getExtendedKeyUsage(), "codeSigning");
    }
}
