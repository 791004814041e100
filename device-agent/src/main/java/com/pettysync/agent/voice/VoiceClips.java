package com.pettysync.agent.voice;

import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.outbox.VoiceClipEntry;
import com.pettysync.agent.storage.AtomicFile;
import com.pettysync.agent.uplink.VoiceParts;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
import com.pettysync.contract.voice.VoiceCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * Voice clips waiting for upload: audio files under {@code <dataDirectory>/clips/} within a disk quota, indexed in
 * the outbox database (table {@code voice_clip}, {@link OutboxStore}), handed to the uplink part by part.
 *
 * <h2>Guarantee</h2>
 * <ul>
 * <li>{@link #store} writes the clip to {@code clip-<id>.pcm.tmp}, fsyncs it, renames it to {@code clip-<id>.pcm}
 * and only then indexes it (one SQLite transaction that also advances the clip counter). So an indexed clip has its
 * whole file; a crash in between leaves at most a file without a row, removed at the next start.</li>
 * <li>{@code clip_id} comes from {@link OutboxStore#allocateClipId}: ≥ 1, never repeated — across restarts, and
 * after a corrupt database was moved aside (the {@code counters.reserve} file bounds every id handed out).</li>
 * <li>The files' audio bytes never exceed {@code quotaBytes}: a new clip first evicts the oldest clips (row, then
 * file; counted in {@link Status#evicted}); a clip bigger than the whole quota is not stored
 * ({@link Status#tooBig}).</li>
 * <li>A clip leaves when every part has its PUBACK ({@link #acknowledged}), by eviction, or when the broker says it
 * will never accept a part ({@link #rejected}). Acknowledged parts are recorded ({@code parts_acked}), so a restart
 * re-offers only the parts without PUBACK (at least once; the cloud de-duplicates by (thing, clip_id, part)).</li>
 * </ul>
 *
 * <h2>File format (owned here)</h2>
 * <pre>
 * clips/clip-&lt;clip_id&gt;.pcm   the clip's audio and nothing else: signed 16-bit little-endian mono samples at
 *                             16 kHz (contract codec 0, PCM s16le), at most 10 s = 320,000 bytes. Part k of the
 *                             clip carries bytes [k·130,816, min(bytes, (k+1)·130,816)) — an even number, so no
 *                             sample is split, and the CBOR part stays under 128 KiB.
 * clips/clip-&lt;clip_id&gt;.pcm.tmp  a clip being written (never indexed; deleted at start)
 * </pre>
 * PCM, not IMA ADPCM: the contract code has no ADPCM encoder, and the cloud side decodes PCM without one.
 *
 * <h2>Failure model (the agent keeps running in every case)</h2>
 * <ul>
 * <li>Full disk or an I/O error while writing: the temp file is deleted, the clip is not stored and is counted in
 * {@link Status#writeFailures}; the caller still records the vocal-episode event, with {@code clip_id} 0.</li>
 * <li>The outbox is degraded (memory only) or cannot index: same — a clip needs a durable index. While degraded,
 * nothing is deleted and no part is offered.</li>
 * <li>At start (and whenever the outbox database was replaced or came back): files without an index row are
 * deleted ({@link Status#orphansRemoved}), rows whose file is missing or has the wrong size are dropped
 * ({@link Status#missingRemoved}); each with a log line. Only file names of the form above are touched.</li>
 * <li>A file that vanished, is truncated or unreadable when a part is read: its row is dropped with a log line and
 * the next clip is tried — no exception escapes, no retry loop.</li>
 * </ul>
 *
 * <p>Thread safety: all methods are synchronized (the window thread stores, the uplink thread reads and
 * acknowledges); the lock order is this, then the outbox.
 */
public final class VoiceClips implements VoiceParts {
    /** The folder under the data directory. */
    public static final String DIR = "clips";
    public static final int SAMPLE_RATE = 16_000;
    /** Contract §5: at most 10 s per clip. */
    public static final int MAX_DURATION_MS = 10_000;
    /** Audio bytes per part: the CBOR around them is under 64 bytes, so a part stays ≤ 128 KiB. */
    public static final int PART_AUDIO_BYTES = VoiceClipPartCodec.MAX_PART_BYTES - 256;
    /** Default quota: 64 MiB, about 200 clips of 10 s (33 min of audio), a small share of any SD card. */
    public static final long DEFAULT_QUOTA_BYTES = 64L * 1024 * 1024;
    static final Pattern FILE = Pattern.compile("clip-([0-9]{1,19})\\.pcm");
    static final Pattern TEMP = Pattern.compile("clip-([0-9]{1,19})\\.pcm\\.tmp");
    private static final int INDEX_LIMIT = 1_000_000;

    /**
     * What the clip store reports (status file).
     *
     * @param clips          clips indexed now
     * @param bytes          their audio bytes
     * @param quotaBytes     the quota
     * @param stored         clips stored since start
     * @param uploaded       clips whose every part was acknowledged since start
     * @param evicted        oldest clips deleted to make room since start
     * @param tooBig         clips bigger than the whole quota, not stored
     * @param writeFailures  clips not stored because of a write/index failure (full disk, I/O error, degraded outbox)
     * @param rejected       clips dropped because the broker will never accept a part
     * @param orphansRemoved files without an index row deleted (start-up / database replaced)
     * @param missingRemoved index rows dropped because their file vanished, was truncated or unreadable
     */
    public record Status(int clips, long bytes, long quotaBytes, long stored, long uploaded, long evicted,
            long tooBig, long writeFailures, long rejected, long orphansRemoved, long missingRemoved) {
    }

    private final Path dir;
    private final OutboxStore outbox;
    private final long quotaBytes;
    private final Clock clock;
    private volatile java.util.function.BooleanSupplier uploadAllowed = () -> true;
    private long seenGeneration = -1;
    private boolean maybePending = true;
    private long stored;
    private long uploaded;
    private long evicted;
    private long tooBig;
    private long writeFailures;
    private long rejected;
    private long orphansRemoved;
    private long missingRemoved;

    private VoiceClips(Path dataDirectory, OutboxStore outbox, long quotaBytes, Clock clock) {
        if (quotaBytes < 1) {
            throw new IllegalArgumentException("quotaBytes must be >= 1");
        }
        this.dir = dataDirectory.resolve(DIR);
        this.outbox = Objects.requireNonNull(outbox);
        this.quotaBytes = quotaBytes;
        this.clock = Objects.requireNonNull(clock);
    }

    /** Opens the clip store of {@code dataDirectory} and cleans up (see the class comment). Never throws for I/O. */
    public static VoiceClips open(Path dataDirectory, OutboxStore outbox, long quotaBytes, Clock clock) {
        VoiceClips v = new VoiceClips(dataDirectory, outbox, quotaBytes, clock);
        try {
            Files.createDirectories(v.dir);
        } catch (IOException e) {
            Logger.warn("voice clip folder {} unusable ({}); clips are not stored until it is", v.dir, oneLine(e));
        }
        synchronized (v) {
            v.checkIndex();
        }
        return v;
    }

    /**
     * Parts are offered to the uplink only while {@code allowed} says so (the shadow's {@code voiceUpload} is
     * {@code episodes}: with {@code off} no clip leaves the collar; stored clips wait, within the quota).
     */
    public void uploadOnlyWhile(java.util.function.BooleanSupplier allowed) {
        this.uploadAllowed = Objects.requireNonNull(allowed);
    }

    /** The folder the clip files live in. */
    public Path directory() {
        return dir;
    }

    /**
     * Stores a clip (the first 10 s of {@code samples}, 16 kHz mono) and returns its {@code clip_id}, or 0 when it
     * is not stored (empty, bigger than the quota, write or index failure; counted and logged). Evicts the oldest
     * clips first when the quota would be exceeded.
     */
    public synchronized long store(long t0Ms, int vocalClass, int confPct, short[] samples) {
        checkIndex();
        int n = Math.min(samples.length, SAMPLE_RATE / 1000 * MAX_DURATION_MS);
        if (n == 0) {
            return 0;
        }
        byte[] audio = pcm(samples, n);
        if (audio.length > quotaBytes) {
            tooBig++;
            Logger.warn("voice clip of {} bytes exceeds the whole quota of {} bytes; not stored", audio.length,
                    quotaBytes);
            return 0;
        }
        Optional<List<VoiceClipEntry>> index = outbox.clips(INDEX_LIMIT);
        if (index.isEmpty()) {
            writeFailures++;
            Logger.warn("voice clip not stored: the outbox is not durable now");
            return 0;
        }
        long used = index.get().stream().mapToLong(VoiceClipEntry::bytes).sum();
        for (VoiceClipEntry old : index.get()) {
            if (used + audio.length <= quotaBytes) {
                break;
            }
            if (!remove(old, "evicted to stay within the quota of " + quotaBytes + " bytes")) {
                writeFailures++;
                return 0;
            }
            evicted++;
            used -= old.bytes();
        }
        long id = outbox.allocateClipId();
        if (id == 0) {
            writeFailures++;
            Logger.warn("voice clip not stored: no durable clip id now");
            return 0;
        }
        String name = "clip-" + id + ".pcm";
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            AtomicFile.write(file, audio);
        } catch (IOException | RuntimeException e) {
            writeFailures++;
            deleteQuietly(dir.resolve(name + ".tmp"));
            Logger.error("voice clip {} not stored, write failed: {}", id, oneLine(e));
            return 0;
        }
        int durationMs = (int) (n * 1000L / SAMPLE_RATE);
        int parts = (int) ((audio.length + (long) PART_AUDIO_BYTES - 1) / PART_AUDIO_BYTES);
        VoiceClipEntry entry = new VoiceClipEntry(id, Math.max(0, t0Ms), vocalClass, confPct, VoiceCodec.PCM_S16LE,
                SAMPLE_RATE, durationMs, audio.length, parts, 0, name, clock.instant());
        if (!outbox.insertClip(entry)) {
            writeFailures++;
            deleteQuietly(file);
            Logger.error("voice clip {} not stored: the outbox could not index it", id);
            return 0;
        }
        stored++;
        maybePending = true;
        Logger.info("voice clip {} stored: {} ms, {} bytes, {} part(s)", id, durationMs, audio.length, parts);
        return id;
    }

    @Override
    public synchronized Part next() {
        if (!maybePending || !uploadAllowed.getAsBoolean()) {
            return null;
        }
        checkIndex();
        while (true) {
            Optional<List<VoiceClipEntry>> first = outbox.clips(1);
            if (first.isEmpty()) {
                return null; // degraded: try again later, touch nothing
            }
            if (first.get().isEmpty()) {
                maybePending = false;
                return null;
            }
            VoiceClipEntry e = first.get().get(0);
            if (e.partsAcked() >= e.parts()) {
                uploaded++;
                if (!remove(e, "every part acknowledged")) {
                    return null;
                }
                continue;
            }
            String problem;
            try {
                return new Part(e.clipId(), e.partsAcked(), e.parts(), encodePart(e, e.partsAcked()));
            } catch (NoSuchFileException x) {
                problem = "its file vanished";
            } catch (IOException | ContractViolation | IllegalArgumentException x) {
                problem = oneLine(x);
            }
            missingRemoved++;
            if (!remove(e, "unreadable (" + problem + ")")) {
                return null;
            }
        }
    }

    @Override
    public synchronized void acknowledged(Part p) {
        if (p.part() + 1 >= p.parts()) {
            uploaded++;
            remove(p.clipId(), "uploaded");
        } else {
            outbox.setClipPartsAcked(p.clipId(), p.part() + 1);
        }
    }

    @Override
    public synchronized void rejected(Part p, String why) {
        rejected++;
        remove(p.clipId(), "rejected by the broker: " + why);
    }

    /** Counts and the index's totals now. */
    public synchronized Status status() {
        List<VoiceClipEntry> index = outbox.clips(INDEX_LIMIT).orElse(List.of());
        return new Status(index.size(), index.stream().mapToLong(VoiceClipEntry::bytes).sum(), quotaBytes, stored,
                uploaded, evicted, tooBig, writeFailures, rejected, orphansRemoved, missingRemoved);
    }

    // --------------------------------------------------------------------------------------------- parts

    /** Part {@code part} of clip {@code e}, read from its file and encoded with the contract codec. */
    byte[] encodePart(VoiceClipEntry e, int part) throws IOException {
        return encodePart(dir, e, part);
    }

    /**
     * Part {@code part} of clip {@code e} whose file is in {@code clipsDir}, encoded with the contract codec; only
     * reads (also what {@code pettysync agent export} sends from a card).
     */
    public static byte[] encodePart(Path clipsDir, VoiceClipEntry e, int part) throws IOException {
        Path file = FILE.matcher(e.file()).matches() ? clipsDir.resolve(e.file()) : null;
        if (file == null) {
            throw new IOException("bad file name in the index: " + e.file());
        }
        long from = (long) part * PART_AUDIO_BYTES;
        int len = (int) Math.min(PART_AUDIO_BYTES, e.bytes() - from);
        if (len <= 0) {
            throw new IOException("part " + part + " beyond the clip's " + e.bytes() + " bytes");
        }
        byte[] audio = new byte[len];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size != e.bytes()) {
                throw new IOException("file has " + size + " bytes, the index says " + e.bytes() + " (truncated?)");
            }
            ByteBuffer b = ByteBuffer.wrap(audio);
            long pos = from;
            while (b.hasRemaining()) {
                int r = ch.read(b, pos);
                if (r < 0) {
                    throw new IOException("file ends early");
                }
                pos += r;
            }
        }
        return VoiceClipPartCodec.encode(new VoiceClipPart(e.clipId(), e.t0Ms(), e.sampleRate(), e.codec(),
                e.durationMs(), e.vocalClass(), e.confPct(), part, e.parts(), audio));
    }

    static byte[] pcm(short[] samples, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putShort(samples[i]);
        }
        return b.array();
    }

    // --------------------------------------------------------------------------------------------- index upkeep

    /** Reconciles files and index when the outbox database is new (start, moved aside, back from degraded). */
    private void checkIndex() {
        long generation = outbox.generation();
        if (generation == seenGeneration) {
            return;
        }
        Optional<List<VoiceClipEntry>> index = outbox.clips(INDEX_LIMIT);
        if (index.isEmpty()) {
            return; // degraded: the index is unknown, so nothing may be deleted; try again after recovery
        }
        seenGeneration = generation;
        maybePending = true;
        Set<String> indexed = new HashSet<>();
        for (VoiceClipEntry e : index.get()) {
            Path f = fileOf(e);
            long size = -1;
            try {
                size = f == null ? -1 : Files.size(f);
            } catch (IOException ignored) {
                // missing: size stays -1
            }
            if (size != e.bytes()) {
                missingRemoved++;
                remove(e, size < 0 ? "its file is missing" : "its file has " + size + " bytes, the index says "
                        + e.bytes());
            } else {
                indexed.add(e.file());
            }
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean ours = FILE.matcher(name).matches() || TEMP.matcher(name).matches();
                if (ours && !indexed.contains(name) && Files.isRegularFile(f)) {
                    orphansRemoved++;
                    deleteQuietly(f);
                    Logger.warn("voice clip file {} has no index row; deleted", name);
                }
            }
        } catch (IOException | RuntimeException e) {
            Logger.warn("voice clip folder {} not listed: {}", dir, oneLine(e));
        }
    }

    private boolean remove(VoiceClipEntry e, String why) {
        return remove(e.clipId(), why);
    }

    /** Deletes the row, then the file (a crash in between leaves an orphan file, removed at the next start). */
    private boolean remove(long clipId, String why) {
        if (!outbox.deleteClip(clipId)) {
            Logger.warn("voice clip {} not removed ({}): the outbox is not writable now", clipId, why);
            return false;
        }
        deleteQuietly(dir.resolve("clip-" + clipId + ".pcm"));
        if (why.equals("uploaded") || why.equals("every part acknowledged")) {
            Logger.debug("voice clip {} removed: {}", clipId, why);
        } else {
            Logger.warn("voice clip {} removed: {}", clipId, why);
        }
        return true;
    }

    private Path fileOf(VoiceClipEntry e) {
        return FILE.matcher(e.file()).matches() ? dir.resolve(e.file()) : null;
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            Logger.warn("cannot delete {}: {}", f, oneLine(e));
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
