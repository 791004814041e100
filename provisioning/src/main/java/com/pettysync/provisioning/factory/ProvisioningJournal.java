package com.pettysync.provisioning.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * The factory run's memory of what it did, next to its output: which collar's certificate request was about to be
 * sent, which certificate the account issued for it, which collar is complete.
 *
 * <p><b>Guarantee:</b> {@link #append} returns only once its record is on disk ({@code fsync} of the file), so a
 * certificate id the account returned is never forgotten once the append returned, and a collar recorded
 * {@code done} was completely provisioned and its bundle written. <b>Failure model:</b> the process may be killed at
 * any instant; then at most the last line is torn (no final newline, or not JSON) — {@link #open} cuts it off and
 * logs it; every earlier record stands. The window the journal cannot close by itself — killed after the account
 * issued a certificate and before its id was appended — is why {@link State#REQUESTING} is written <em>before</em> the
 * request, with the key's id and the time: the next run finds the certificate by its public key among the
 * account's certificates created since then (see {@link OrphanCertificates}) instead of leaving it orphaned.
 * Not shared between processes: a second run on the same output directory while one runs is refused (an
 * exclusive lock on the journal file, released by the kernel when the holder dies).
 *
 * <pre>
 * provision-journal.jsonl: one JSON object per line, appended, never rewritten
 *   {"thing":"collar-0001","state":"requesting","key":"&lt;sha-256 of the public key&gt;","at":"2026-12-01T22:10:00Z"}
 *   {"thing":"collar-0001","state":"certificate","certificateId":"&lt;64 hex&gt;","at":"…"}
 *   {"thing":"collar-0001","state":"done","certificateId":"…","thingArn":"arn:aws:iot:…:thing/collar-0001","at":"…"}
 *   {"thing":"collar-0002","state":"failed","error":"…","at":"…"}          (not final: a re-run tries again)
 * </pre>
 */
public final class ProvisioningJournal implements AutoCloseable {
    /** The journal's file name inside an output directory. */
    public static final String FILE = "provision-journal.jsonl";

    /** What a record says about its collar. */
    public enum State {
        /** A certificate request for this key is about to be sent. */
        REQUESTING,
        /** The account issued this certificate for the collar (possibly not yet attached or active). */
        CERTIFICATE,
        /** Provisioned completely: certificate active and attached, bundle written. */
        DONE,
        /** The last attempt failed (the next run retries). */
        FAILED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One record. Fields that a state does not use are null. */
    public record Entry(String thing, State state, String keyId, String certificateId, String thingArn, String error,
            Instant at) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final Map<String, Entry> latest = new HashMap<>();
    private final Map<String, Entry> lastCertificate = new HashMap<>();
    private final Map<String, Entry> lastRequest = new HashMap<>();
    private final java.util.Set<String> knownCertificates = new java.util.HashSet<>();

    private ProvisioningJournal(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (or creates) the journal in {@code directory}, reading every intact record and cutting a torn tail. */
    public static ProvisioningJournal open(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ProvisioningJournal journal = new ProvisioningJournal(file, channel);
        try {
            java.nio.channels.FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IOException("another provisioning run holds " + file + "; wait for it to end");
            }
            journal.load();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return journal;
    }

    private void load() throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int lineNo = 0;
        long intact = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            lineNo++;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            start = i + 1;
            if (line.isBlank()) {
                intact = start;
                continue;
            }
            Entry e;
            try {
                e = parse(JSON.readTree(line));
            } catch (IOException | RuntimeException ex) {
                if (start == bytes.length) {
                    break; // a torn final record: cut below
                }
                throw new IOException(file + " line " + lineNo + " is not a journal record (" + ex.getMessage()
                        + "); the journal is damaged — move it aside only if you know what was provisioned");
            }
            remember(e);
            intact = start;
        }
        if (intact < bytes.length) {
            Logger.warn("provision: journal {} ends in a torn record ({} bytes) from an interrupted run: cut off",
                    file, bytes.length - intact);
            channel.truncate(intact);
            channel.force(true);
        }
        channel.position(intact);
    }

    private static Entry parse(JsonNode n) {
        String thing = n.required("thing").asText();
        State state = State.valueOf(n.required("state").asText().toUpperCase(java.util.Locale.ROOT));
        return new Entry(thing, state, text(n, "key"), text(n, "certificateId"), text(n, "thingArn"),
                text(n, "error"), Instant.parse(n.required("at").asText()));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private void remember(Entry e) {
        latest.put(e.thing(), e);
        if (e.certificateId() != null) {
            lastCertificate.put(e.thing(), e);
            knownCertificates.add(e.certificateId());
        }
        if (e.state() == State.REQUESTING) {
            lastRequest.put(e.thing(), e);
        }
    }

    /** Appends {@code entry} and forces it to disk before returning. */
    public synchronized void append(Entry entry) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("thing", entry.thing());
        o.put("state", entry.state().wire());
        putIfSet(o, "key", entry.keyId());
        putIfSet(o, "certificateId", entry.certificateId());
        putIfSet(o, "thingArn", entry.thingArn());
        putIfSet(o, "error", entry.error());
        o.put("at", entry.at().toString());
        ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false);
        remember(entry);
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    /** The last record about {@code thing}. */
    public synchronized Optional<Entry> latest(String thing) {
        return Optional.ofNullable(latest.get(thing));
    }

    /** The last certificate the account issued for {@code thing}, as recorded. */
    public synchronized Optional<String> certificateOf(String thing) {
        return Optional.ofNullable(lastCertificate.get(thing)).map(Entry::certificateId);
    }

    /**
     * Collars whose last certificate request has no recorded answer: the request record, by thing. Their
     * certificate may exist in the account without the journal knowing it.
     */
    public synchronized Map<String, Entry> unansweredRequests() {
        Map<String, Entry> out = new HashMap<>();
        lastRequest.forEach((thing, request) -> {
            Entry cert = lastCertificate.get(thing);
            if (cert == null || cert.at().isBefore(request.at())) {
                out.put(thing, request);
            }
        });
        return out;
    }

    /** Every certificate id recorded, for any collar. */
    public synchronized java.util.Set<String> knownCertificates() {
        return java.util.Set.copyOf(knownCertificates);
    }

    /** The journal file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
