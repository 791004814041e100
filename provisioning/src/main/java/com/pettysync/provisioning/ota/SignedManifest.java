package com.pettysync.provisioning.ota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobDocumentException;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * A signed artifact's manifest, as {@code ota sign} writes it and {@code ota publish} reads it: the fields of the job
 * document (contract §7, {@link JobDocument}) that do not depend on where the artifact is stored, plus the artifact's
 * file name. The signature is {@link JobSignature}'s (ECDSA P-256 over the SHA-256), made over the artifact's bytes as
 * read here.
 *
 * <pre>
 * {"operation": "firmware-update" | "model-update", "version": uint, "size": bytes, "sha256": hex,
 *  "signature": base64 DER, "artifact": "file name"}
 * </pre>
 *
 * @param operation what the artifact updates
 * @param version   the build (firmware) or model version it carries
 * @param size      bytes
 * @param sha256    64 lowercase hex digits
 * @param signature base64 DER ECDSA P-256 signature of the SHA-256
 * @param artifact  the artifact's file name (for the object key and the operator's eyes)
 */
public record SignedManifest(JobOperation operation, long version, long size, String sha256, String signature,
        String artifact) {
    /** The manifest's usual name beside its artifact. */
    public static Path besideArtifact(Path artifact) {
        return artifact.resolveSibling(artifact.getFileName() + ".manifest.json");
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The placeholder AWS IoT Jobs replaces with a presigned URL of the S3 object it names. */
    public static final String PRESIGNED_URL_PLACEHOLDER = "${aws:iot:s3-presigned-url:%s}";

    /**
     * Hashes {@code artifact}, signs the digest with {@code key} and checks the signature once more.
     *
     * @throws IOException if the artifact cannot be read or is empty
     */
    public static SignedManifest sign(PrivateKey key, Path artifact, long version, JobOperation operation)
            throws IOException {
        if (version < 0) {
            throw new IllegalArgumentException("version must be an unsigned integer, got " + version);
        }
        Digest d = digest(artifact);
        if (d.size() == 0) {
            throw new IOException(artifact + " is empty");
        }
        String signature = JobSignature.sign(key, d.sha256());
        return new SignedManifest(operation, version, d.size(), HexFormat.of().formatHex(d.sha256()), signature,
                artifact.getFileName().toString());
    }

    /** Whether the signature verifies against the fleet's code-signing {@code certificate}. */
    public boolean verifiedBy(X509Certificate certificate) {
        return JobSignature.verify(certificate.getPublicKey(), HexFormat.of().parseHex(sha256),
                java.util.Base64.getDecoder().decode(signature));
    }

    /**
     * Checks that {@code artifact} is the file this manifest describes (size and SHA-256).
     *
     * @throws IOException naming the mismatch
     */
    public void checkArtifact(Path artifact) throws IOException {
        Digest d = digest(artifact);
        if (d.size() != size || !HexFormat.of().formatHex(d.sha256()).equals(sha256)) {
            throw new IOException(artifact + " is not the artifact of this manifest (size " + d.size() + " vs "
                    + size + ", or another SHA-256): sign it again");
        }
    }

    /**
     * The job document for the artifact at {@code url}, validated by {@link JobDocument}.
     *
     * @throws IllegalArgumentException if a field breaks contract §7
     */
    public JobDocument jobDocument(URI url) {
        return new JobDocument(operation, version, url, size, sha256, signature, OptionalInt.empty());
    }

    /**
     * The job document as CreateJob takes it: validated with {@code objectUrl} (the S3 object's https URL), whose
     * {@code url} is then AWS IoT's placeholder {@code ${aws:iot:s3-presigned-url:objectUrl}}, replaced for each
     * device by a presigned URL.
     */
    public String jobDocumentWithPresignedUrl(URI objectUrl) {
        try {
            ObjectNode o = (ObjectNode) JSON.readTree(jobDocument(objectUrl).toJson());
            o.put("url", String.format(PRESIGNED_URL_PLACEHOLDER, objectUrl));
            return JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the manifest to {@code file} (whole or not at all). */
    public void write(Path file) throws IOException {
        ObjectNode o = JSON.createObjectNode().put("operation", operation.jsonName()).put("version", version)
                .put("size", size).put("sha256", sha256).put("signature", signature).put("artifact", artifact);
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap((JSON.writeValueAsString(o) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Reads and validates a manifest (each field by contract §7's rules).
     *
     * @throws IOException if the file cannot be read or breaks a rule (named)
     */
    public static SignedManifest read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a manifest (JSON): " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("artifact").isTextual()) {
            throw new IOException(file + ": not a manifest (an object with operation, version, size, sha256, "
                    + "signature, artifact)");
        }
        ObjectNode doc = ((ObjectNode) n.deepCopy());
        doc.remove("artifact");
        doc.put("url", "https://manifest.invalid/");
        try {
            JobDocument d = JobDocument.fromJson(doc);
            return new SignedManifest(d.operation(), d.version(), d.size(), d.sha256(), d.signature(),
                    n.get("artifact").textValue());
        } catch (JobDocumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private record Digest(long size, byte[] sha256) {}

    private static Digest digest(Path artifact) throws IOException {
        try (InputStream in = Files.newInputStream(artifact)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            long size = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
            return new Digest(size, sha.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
