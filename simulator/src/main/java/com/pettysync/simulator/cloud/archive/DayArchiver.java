package com.pettysync.simulator.cloud.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.ml.vocal.VocalClass;
import com.pettysync.simulator.cloud.archive.HotStore.ClipRow;
import com.pettysync.simulator.cloud.archive.HotStore.CollarDay;
import com.pettysync.simulator.cloud.archive.HotStore.CollarDayRows;
import com.pettysync.simulator.cloud.archive.HotStore.EventRow;
import com.pettysync.simulator.cloud.archive.HotStore.RawRow;
import com.pettysync.simulator.cloud.archive.HotStore.TelemetryRow;
import com.pettysync.simulator.cloud.delivery.DeliveryTally;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.tinylog.Logger;

/**
 * "Dumper #2": moves the stored frames of completed days from the hot store to the archive, one folder per collar per
 * UTC day ({@link ArchiveLayout}). Independent of the broker: it sees a {@link HotStore} and an {@link ArchiveStore},
 * as a scheduled cloud function would.
 *
 * <p><b>Guarantee</b>: a row leaves the hot store only after every object holding it was written, read back and found
 * byte-identical (SHA-256), and after the day's {@code manifest.json} — written last, listing each object's SHA-256,
 * size and keys — was written and read back the same way. The manifest is the mark of a complete collar-day.
 *
 * <p><b>Idempotent and resumable</b>: archiving a collar-day again with nothing new in the hot store writes nothing.
 * Frames of an archived day that arrive later (a backlog, an imported SD card) are merged: the archived lines are read
 * back, verified against the manifest, united by seq / eseq (a copy of a line already archived is dropped and counted
 * as a duplicate; a row left behind by an interrupted run, received before the manifest, is not), and the objects and
 * manifest are written anew. A run killed at any point leaves either the old manifest (its objects may be newer: only
 * the keys the manifest lists are trusted, the rest are still in the hot store) or the new one (the hot rows it lists
 * are deleted on the next run).
 *
 * <p><b>Failure model</b>: an archive write or read failure, or a read-back that differs, stops that collar-day with an
 * {@link IOException} and deletes nothing; an archived object that no longer matches its manifest on the keys it lists
 * is refused ({@link IOException}, "does not match its manifest") rather than overwritten.
 */
public final class DayArchiver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HotStore hot;
    private final ArchiveStore archive;
    private final Clock clock;
    private final int threads;

    /** The totals of one run. */
    public record Result(int collarDays, int written, int unchanged, long frames, long events, long clips,
            long rawChunks, long bytesWritten) {
        Result plus(Result o) {
            return new Result(collarDays + o.collarDays, written + o.written, unchanged + o.unchanged,
                    frames + o.frames, events + o.events, clips + o.clips, rawChunks + o.rawChunks,
                    bytesWritten + o.bytesWritten);
        }

        static final Result NONE = new Result(0, 0, 0, 0, 0, 0, 0, 0);
    }

    public DayArchiver(HotStore hot, ArchiveStore archive, Clock clock) {
        this(hot, archive, clock, 4);
    }

    /**
     * An archiver that works on up to {@code threads} collar-days at once (the archive's writes and read-backs
     * overlap; the hot store serialises its own calls).
     */
    public DayArchiver(HotStore hot, ArchiveStore archive, Clock clock, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be ≥ 1");
        }
        this.hot = hot;
        this.archive = archive;
        this.clock = clock;
        this.threads = threads;
    }

    /** The first day that is not complete yet: a day is complete {@link DeliveryTally#LATE_AFTER} after it ends. */
    public LocalDate firstOpenDay() {
        return clock.instant().minus(DeliveryTally.LATE_AFTER).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Archives every completed day still in the hot store. */
    public Result archiveCompleted() throws IOException {
        return archiveBefore(firstOpenDay());
    }

    /** Archives every day up to and including {@code lastDay}, which must be complete. */
    public Result archiveUntil(LocalDate lastDay) throws IOException {
        requireComplete(lastDay);
        return archiveBefore(lastDay.plusDays(1));
    }

    /** Archives one completed day. */
    public Result archiveDay(LocalDate day) throws IOException {
        requireComplete(day);
        return archiveAll(hot.collarDaysBefore(day.plusDays(1)).stream().filter(k -> k.day().equals(day)).toList());
    }

    private void requireComplete(LocalDate day) {
        if (!day.isBefore(firstOpenDay())) {
            throw new IllegalArgumentException(day + " is not complete: frames of it may still arrive until "
                    + day.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(DeliveryTally.LATE_AFTER));
        }
    }

    private Result archiveBefore(LocalDate before) throws IOException {
        return archiveAll(hot.collarDaysBefore(before));
    }

    /** Archives {@code keys} on the pool; the first failure stops new collar-days and is thrown when all are done. */
    public Result archiveAll(List<CollarDay> keys) throws IOException {
        if (keys.isEmpty()) {
            return Result.NONE;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(threads, keys.size()), r -> Thread.ofPlatform().name("archive").daemon(true).unstarted(r));
        java.util.concurrent.atomic.AtomicReference<IOException> failure =
                new java.util.concurrent.atomic.AtomicReference<>();
        List<java.util.concurrent.Future<Result>> done = new ArrayList<>();
        try {
            for (CollarDay key : keys) {
                done.add(pool.submit(() -> {
                    if (failure.get() != null) {
                        return Result.NONE;
                    }
                    try {
                        return archive(key);
                    } catch (IOException | RuntimeException e) {
                        IOException io = e instanceof IOException x ? x
                                : new IOException(key.thing() + " " + key.day() + ": " + e.getMessage(), e);
                        failure.compareAndSet(null, io);
                        return Result.NONE;
                    }
                }));
            }
            Result total = Result.NONE;
            for (java.util.concurrent.Future<Result> f : done) {
                total = total.plus(f.get());
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("archive interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Archives one collar-day (see the class comment). */
    public Result archive(CollarDay key) throws IOException {
        CollarDayRows rows = hot.load(key);
        if (rows.isEmpty()) {
            return Result.NONE;
        }
        long snapshotAt = clock.millis();
        String thing = key.thing();
        LocalDate day = key.day();
        Optional<JsonNode> prev = readJson(ArchiveLayout.manifest(thing, day));
        long prevArchivedAt = prev.map(m -> m.path("archived_at").asLong()).orElse(Long.MIN_VALUE);
        DeliveryTally tally = prev.map(m -> DeliveryTally.fromJson(m.path("delivery")))
                .orElseGet(() -> new DeliveryTally(thing, day));
        ObjectNode objects = prev.map(m -> ((ObjectNode) m.path("objects")).deepCopy())
                .orElseGet(JSON::createObjectNode);
        TreeMap<Long, String> telemetry = archivedLines(ArchiveLayout.telemetry(thing, day), objects.path(
                ArchiveLayout.TELEMETRY), "seq");
        TreeMap<Long, String> events = archivedLines(ArchiveLayout.events(thing, day), objects.path(
                ArchiveLayout.EVENTS), "eseq");

        long newFrames = 0;
        for (TelemetryRow r : rows.telemetry()) {
            if (telemetry.containsKey(r.seq())) {
                if (r.receivedAt() > prevArchivedAt) {
                    tally.addDuplicates(1); // a copy that arrived after the day was archived
                }
                continue;
            }
            telemetry.put(r.seq(), r.json());
            tally.addFrame(r.seq(), r.t0(), r.dur(), r.receivedAt(), TelemetryFrameCodec.decode(r.frame()));
            newFrames++;
        }
        long newEvents = 0;
        for (EventRow r : rows.events()) {
            if (events.putIfAbsent(r.eseq(), r.json()) == null) {
                tally.addEvent(EventType.ofCode(r.type(), "type").jsonName(), 1);
                newEvents++;
            }
        }
        List<ClipRow> newClips = new ArrayList<>();
        for (ClipRow c : rows.clips()) {
            if (!objects.has("voice/" + c.clipId() + ".wav")) {
                newClips.add(c);
            }
        }
        tally.addClips(newClips.size());
        TreeMap<Long, List<RawRow>> rawByCapture = new TreeMap<>();
        for (RawRow r : rows.raw()) {
            rawByCapture.computeIfAbsent(r.captureId(), k -> new ArrayList<>()).add(r);
        }
        TreeMap<Long, TreeMap<Long, String>> rawLines = new TreeMap<>();
        long newChunks = 0;
        for (var e : rawByCapture.entrySet()) {
            String name = "raw/" + e.getKey() + ".jsonl.gz";
            TreeMap<Long, String> lines = archivedLines(ArchiveLayout.folder(thing, day) + name, objects.path(name),
                    "chunk");
            long before = newChunks;
            for (RawRow r : e.getValue()) {
                if (lines.putIfAbsent(r.chunk(), ContractJson.toJson(RawChunkCodec.decode(r.frame()))) == null) {
                    newChunks++;
                }
            }
            if (newChunks > before || !objects.has(name)) {
                rawLines.put(e.getKey(), lines);
            }
        }
        boolean complete = prev.isPresent() && objects.has(ArchiveLayout.TELEMETRY) && objects.has(ArchiveLayout.EVENTS);
        if (complete && newFrames == 0 && newEvents == 0 && newClips.isEmpty() && rawLines.isEmpty()) {
            hot.delete(rows); // everything is archived already (a run stopped after its manifest)
            return new Result(1, 0, 1, 0, 0, 0, 0, 0);
        }

        long bytes = 0;
        if (newFrames > 0 || !objects.has(ArchiveLayout.TELEMETRY)) {
            bytes += putJsonLines(ArchiveLayout.telemetry(thing, day), ArchiveLayout.TELEMETRY, telemetry, objects);
        }
        if (newEvents > 0 || !objects.has(ArchiveLayout.EVENTS)) {
            bytes += putJsonLines(ArchiveLayout.events(thing, day), ArchiveLayout.EVENTS, events, objects);
        }
        for (ClipRow c : newClips) {
            bytes += putVerified(ArchiveLayout.clipWav(thing, day, c.clipId()), c.wav(), objects,
                    "voice/" + c.clipId() + ".wav", null);
            byte[] sidecar = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sidecar(thing, c, telemetry));
            bytes += putVerified(ArchiveLayout.clipSidecar(thing, day, c.clipId()), sidecar, objects,
                    "voice/" + c.clipId() + ".json", null);
        }
        for (var e : rawLines.entrySet()) {
            String name = "raw/" + e.getKey() + ".jsonl.gz";
            bytes += putJsonLines(ArchiveLayout.folder(thing, day) + name, name, e.getValue(), objects);
        }
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("thing", thing).put("day", day.toString()).put("archived_at", snapshotAt)
                .put("archived_at_iso", Instant.ofEpochMilli(snapshotAt).toString());
        manifest.set("objects", objects);
        manifest.set("delivery", tally.toJson());
        byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        bytes += putVerified(ArchiveLayout.manifest(thing, day), manifestBytes, null, null, null);
        hot.delete(rows);
        Logger.debug("archive: {} {}: {} frames, {} events, {} clips, {} raw chunks -> {}", thing, day, newFrames,
                newEvents, newClips.size(), newChunks, archive.location());
        return new Result(1, 1, 0, newFrames, newEvents, newClips.size(), newChunks, bytes);
    }

    /** The JSON sidecar of a clip: thing, time, on-device class and confidence, and the mood of its window. */
    static ObjectNode sidecar(String thing, ClipRow c, TreeMap<Long, String> telemetryBySeq) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("thing", thing).put("clip_id", c.clipId()).put("t0_ms", c.t0Ms())
                .put("time", Instant.ofEpochMilli(c.t0Ms()).toString()).put("sample_rate", 16000)
                .put("duration_ms", c.durationMs())
                .put("class", c.vocalClass() >= 0 && c.vocalClass() < VocalClass.LABELS.size()
                        ? VocalClass.LABELS.get(c.vocalClass()) : Integer.toString(c.vocalClass()))
                .put("conf_pct", c.confPct());
        long t = Math.floorDiv(c.t0Ms(), 1000);
        for (String line : telemetryBySeq.values()) {
            JsonNode f = JSON.readTree(line);
            long t0 = f.path("t0").asLong();
            if (t >= t0 && t < t0 + f.path("dur").asLong()) {
                o.put("window_seq", f.path("seq").asLong()).put("window_t0", t0);
                if (f.has("mood")) {
                    o.set("mood", f.get("mood"));
                }
                break;
            }
        }
        return o;
    }

    /**
     * The lines of an archived JSON-lines object by key field, keeping only the keys its manifest entry lists (all of
     * them when the object is the one the manifest describes).
     */
    private TreeMap<Long, String> archivedLines(String key, JsonNode entry, String keyField) throws IOException {
        TreeMap<Long, String> out = new TreeMap<>();
        if (entry.isMissingNode()) {
            return out;
        }
        byte[] gz = archive.get(key).orElseThrow(() -> new IOException("archived object " + key
                + " listed in its manifest is missing"));
        boolean same = sha256(gz).equals(entry.path("sha256").asText());
        List<long[]> ranges = new ArrayList<>();
        for (JsonNode r : entry.path("keys")) {
            ranges.add(new long[] {r.get(0).asLong(), r.get(1).asLong()});
        }
        for (String line : gunzipLines(gz)) {
            long k = JSON.readTree(line).path(keyField).asLong();
            if (same || ranges.stream().anyMatch(r -> k >= r[0] && k <= r[1])) {
                out.put(k, line);
            }
        }
        if (out.size() != entry.path("lines").asLong()) {
            throw new IOException("archived object " + key + " does not match its manifest (" + out.size()
                    + " of " + entry.path("lines").asLong() + " listed lines)");
        }
        return out;
    }

    private long putJsonLines(String key, String name, TreeMap<Long, String> lines, ObjectNode objects)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            for (String line : lines.values()) {
                gz.write(line.getBytes(StandardCharsets.UTF_8));
                gz.write('\n');
            }
        }
        ArrayNode keys = JSON.createArrayNode();
        long start = -1;
        long prev = -2;
        for (long k : lines.keySet()) {
            if (k != prev + 1) {
                if (start >= 0) {
                    keys.add(JSON.createArrayNode().add(start).add(prev));
                }
                start = k;
            }
            prev = k;
        }
        if (start >= 0) {
            keys.add(JSON.createArrayNode().add(start).add(prev));
        }
        ObjectNode extra = JSON.createObjectNode();
        extra.put("lines", lines.size());
        extra.set("keys", keys);
        return putVerified(key, buf.toByteArray(), objects, name, extra);
    }

    /** Puts, reads back, compares SHA-256; records the object in {@code objects} under {@code name} when given. */
    private long putVerified(String key, byte[] bytes, ObjectNode objects, String name, ObjectNode extra)
            throws IOException {
        String sha = sha256(bytes);
        archive.put(key, bytes);
        byte[] back = archive.get(key).orElseThrow(() -> new IOException("read back of " + key + " found nothing"));
        if (!sha256(back).equals(sha)) {
            throw new IOException("read back of " + archive.location() + key + " differs from what was written");
        }
        if (objects != null) {
            ObjectNode e = objects.putObject(name);
            e.put("sha256", sha).put("bytes", bytes.length);
            if (extra != null) {
                e.setAll(extra);
            }
        }
        return bytes.length;
    }

    private Optional<JsonNode> readJson(String key) throws IOException {
        Optional<byte[]> b = archive.get(key);
        return b.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(b.get()));
    }

    /** The lines of a gzip'd UTF-8 JSON-lines object. */
    public static List<String> gunzipLines(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The manifest of a collar-day, if it is archived. */
    public static Optional<JsonNode> manifest(ArchiveStore archive, String thing, LocalDate day) {
        try {
            Optional<byte[]> b = archive.get(ArchiveLayout.manifest(thing, day));
            return b.isEmpty() ? Optional.empty() : Optional.of(JSON.readTree(b.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
