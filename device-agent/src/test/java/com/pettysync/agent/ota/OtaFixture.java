package com.pettysync.agent.ota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobSignature;
import com.pettysync.contract.job.JobsApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Keys, artifacts, job executions and fakes of the update path's seams. */
final class OtaFixture {
    private OtaFixture() {}

    static final ObjectMapper JSON = new ObjectMapper();

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** A firmware artifact (ZIP) of {@code build} with one jar of {@code padding} bytes. */
    static byte[] firmware(long build, long securityVersion, int padding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(FirmwareArtifact.MANIFEST));
            z.write(new FirmwareArtifact.Manifest(build, securityVersion).text().getBytes());
            z.closeEntry();
            z.putNextEntry(new ZipEntry("lib/agent-" + build + ".jar"));
            byte[] pad = new byte[padding];
            new java.util.Random(build).nextBytes(pad);
            z.write(pad);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    /** A job document for {@code artifact}, signed with {@code keys} (the digest of {@code signedBytes}). */
    static JobDocument document(JobOperation op, long version, URI url, byte[] artifact, KeyPair keys)
            throws Exception {
        byte[] digest = sha256(artifact);
        return new JobDocument(op, version, url, artifact.length, java.util.HexFormat.of().formatHex(digest),
                JobSignature.sign(keys.getPrivate(), digest), OptionalInt.empty());
    }

    static JobsApi.Execution execution(String jobId, JobsApi.Status status, long version, String documentJson)
            throws IOException {
        JsonNode doc = documentJson == null ? null : JSON.readTree(documentJson);
        return new JobsApi.Execution(jobId, "collar-1", status, null, 1L, null, 1L, version, 1L, doc);
    }

    /** Serves byte arrays by URL, with the faults a network and a presigned URL have. */
    static final class MemoryFetcher implements ArtifactFetcher {
        final Map<URI, byte[]> artifacts = new HashMap<>();
        final List<Long> requestedOffsets = new ArrayList<>();
        final java.util.Set<URI> expired = new java.util.HashSet<>();
        long dropEvery = Long.MAX_VALUE;
        boolean ignoreRange;
        /** Connections served before every URL counts as expired. */
        int connectionsLeft = Integer.MAX_VALUE;

        @Override
        public Body open(URI url, long offset) throws IOException, UrlExpiredException {
            requestedOffsets.add(offset);
            if (expired.contains(url) || connectionsLeft-- <= 0) {
                throw new UrlExpiredException("HTTP 403");
            }
            byte[] a = artifacts.get(url);
            if (a == null) {
                throw new IOException("HTTP 404");
            }
            long start = ignoreRange ? 0 : offset;
            long end = start + Math.min(a.length - start, dropEvery);
            InputStream in = new ByteArrayInputStream(a, (int) start, (int) (end - start));
            return new Body(start, a.length, end < a.length ? new DroppingStream(in) : in);
        }
    }

    /** Ends with an IOException instead of a clean end of stream (a dropped connection). */
    static final class DroppingStream extends InputStream {
        private final InputStream in;

        DroppingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection reset");
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n < 0) {
                throw new IOException("connection reset");
            }
            return n;
        }
    }

    /** Records what the engine says on the job. */
    static final class RecordingChannel implements JobChannel {
        record Update(String jobId, JobsApi.Status status, Map<String, String> details) {}

        final List<Update> updates = new ArrayList<>();
        final List<Map<String, String>> startNexts = new ArrayList<>();
        final List<String> describes = new ArrayList<>();

        @Override
        public void startNext(Map<String, String> statusDetails) {
            startNexts.add(statusDetails);
        }

        @Override
        public void update(String jobId, JobsApi.Status status, Map<String, String> statusDetails) {
            updates.add(new Update(jobId, status, new LinkedHashMap<>(statusDetails)));
        }

        @Override
        public void describe(String jobId) {
            describes.add(jobId);
        }

        Update last() {
            return updates.get(updates.size() - 1);
        }

        List<String> steps() {
            return updates.stream().map(u -> u.details().getOrDefault("step", u.status().name())).distinct()
                    .toList();
        }
    }

    /** A sleeper that moves a manual clock instead of waiting. */
    static Sleeper advancing(com.pettysync.agent.testing.MutableClock clock) {
        return d -> clock.advance(d);
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    static void writeSlot(Path slots, String slot, long build) throws IOException {
        Files.createDirectories(slots.resolve(slot).resolve("lib"));
        Files.writeString(slots.resolve(slot).resolve(FirmwareArtifact.MANIFEST),
                new FirmwareArtifact.Manifest(build, 0).text());
    }
}
