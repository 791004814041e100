package com.pettysync.agent.raw;

import com.pettysync.agent.storage.AtomicFile;
import com.pettysync.agent.uplink.RawChunks;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * Raw-capture chunks waiting for upload (wire contract §9): one file per encoded chunk under
 * {@code <dataDirectory>/raw/}, within a byte quota of their own, so raw data never takes the outbox's or the voice
 * clips' room. The uplink sends them last ({@link RawChunks}); a chunk leaves on its PUBACK.
 *
 * <h2>Guarantee</h2>
 * <ul>
 * <li>{@link #store} writes {@code chunk-<capture>-<chunk>.cbor.tmp}, fsyncs it and renames it into place: a chunk
 * file that exists is whole, and its bytes are the contract CBOR exactly as published (and as
 * {@code pettysync agent export} bundles them). A crash in between leaves a {@code .tmp}, deleted at the next
 * open.</li>
 * <li>The chunk files' bytes never exceed {@code quotaBytes}: a chunk that does not fit is refused
 * ({@link Stored#QUOTA}) and nothing is evicted — the capture that made it stops (a raw series with holes cut into
 * it is worth less than a shorter one), and the spool drains as the uplink sends.</li>
 * <li>Raw data never fills the card under the rest of the agent: a chunk is also refused
 * ({@link Stored#DISK_LOW}) when storing it would leave less than {@value #DISK_RESERVE_BYTES} bytes free on the
 * spool's file system (room for the outbox, the voice clips and the logs).</li>
 * <li>Chunks are offered oldest first (capture id, then chunk number); at least once: a chunk whose PUBACK was lost
 * is sent again after a restart, and the cloud de-duplicates by {@code (thing, capture_id, chunk)}.</li>
 * <li>{@link #newCaptureId} never hands out an id twice while the clock does not go back more than the spool's
 * lifetime: it is {@code max(last + 1, now in Unix seconds)}, the last one kept in {@code capture.last}
 * (fsynced + renamed).</li>
 * </ul>
 *
 * <h2>Files (owned here)</h2>
 * <pre>
 * raw/chunk-&lt;capture_id&gt;-&lt;chunk&gt;.cbor       one chunk: RawChunkCodec's CBOR, ≤ 16 KiB, nothing else
 * raw/chunk-&lt;capture_id&gt;-&lt;chunk&gt;.cbor.tmp   being written (deleted at open)
 * raw/capture.last                           text: the last capture id handed out, decimal
 * </pre>
 *
 * <h2>Failure model</h2>
 * A write that fails (full disk, I/O error) deletes its temp file and answers {@link Stored#FAILED} (the capture
 * stops; counted). A chunk file that vanished or no longer decodes when it is offered (a torn write the file system
 * did not protect, a bad card) is deleted with a log line and the next one is offered. A folder that cannot be
 * created: every store fails, nothing else is affected. Thread safety: all methods are synchronized (the raw
 * writer stores, the uplink thread reads and deletes).
 */
public final class RawSpool implements RawChunks {
    /** The folder under the data directory. */
    public static final String DIR = "raw";
    /** Default quota: 128 MiB, a full 24 h capture (about 1.2 KB/s) with room to spare. */
    public static final long DEFAULT_QUOTA_BYTES = 128L * 1024 * 1024;
    static final Pattern FILE = Pattern.compile("chunk-([0-9]{1,19})-([0-9]{1,19})\\.cbor");
    static final String LAST_ID = "capture.last";
    /** Free space the spool always leaves on its file system: 128 MiB. */
    public static final long DISK_RESERVE_BYTES = 128L * 1024 * 1024;

    /** What {@link #store} did. */
    public enum Stored {
        STORED, QUOTA, DISK_LOW, FAILED
    }

    /**
     * Counts for the status file.
     *
     * @param chunks      chunk files waiting now
     * @param bytes       their bytes
     * @param quotaBytes  the quota
     * @param stored      chunks stored since start
     * @param uploaded    chunks acknowledged by the broker since start
     * @param refused     chunks refused because the quota was full or the file system nearly full
     * @param failed      chunks not stored because of a write error
     * @param removed     chunk files deleted because unreadable or rejected by the broker
     */
    public record Status(int chunks, long bytes, long quotaBytes, long stored, long uploaded, long refused,
            long failed, long removed) {
    }

    private record Key(long captureId, long chunk) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(captureId, o.captureId);
            return c != 0 ? c : Long.compare(chunk, o.chunk);
        }

        String file() {
            return "chunk-" + captureId + "-" + chunk + ".cbor";
        }
    }

    private final Path dir;
    private final long quotaBytes;
    private final java.util.function.LongSupplier usableSpace;
    private final TreeMap<Key, Long> index = new TreeMap<>();
    private long bytes;
    private long lastCaptureId;
    private long stored;
    private long uploaded;
    private long refused;
    private long failed;
    private long removed;

    private RawSpool(Path dataDirectory, long quotaBytes, java.util.function.LongSupplier usableSpace) {
        if (quotaBytes < RawChunkCodec.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("quotaBytes must be >= " + RawChunkCodec.MAX_CHUNK_BYTES);
        }
        this.dir = dataDirectory.resolve(DIR);
        this.quotaBytes = quotaBytes;
        this.usableSpace = usableSpace;
    }

    /** Opens the spool of {@code dataDirectory}: removes temp files and indexes the chunk files. Never throws. */
    public static RawSpool open(Path dataDirectory, long quotaBytes) {
        Path dir = dataDirectory.resolve(DIR);
        return open(dataDirectory, quotaBytes, () -> {
            try {
                return Files.getFileStore(dir).getUsableSpace();
            } catch (IOException e) {
                return 0; // a folder that cannot be asked is not written to
            }
        });
    }

    /** As {@link #open(Path, long)}, with the file system's free bytes from {@code usableSpace} (tests). */
    static RawSpool open(Path dataDirectory, long quotaBytes, java.util.function.LongSupplier usableSpace) {
        RawSpool s = new RawSpool(dataDirectory, quotaBytes, usableSpace);
        try {
            Files.createDirectories(s.dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(s.dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    Matcher m = FILE.matcher(name);
                    if (m.matches()) {
                        long size = Files.size(f);
                        s.index.put(new Key(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))), size);
                        s.bytes += size;
                    } else if (name.endsWith(".cbor.tmp") || name.equals(LAST_ID + ".tmp")) {
                        Files.deleteIfExists(f);
                    }
                }
            }
            Path last = s.dir.resolve(LAST_ID);
            if (Files.exists(last)) {
                s.lastCaptureId = Long.parseLong(Files.readString(last, StandardCharsets.US_ASCII).strip());
            }
        } catch (IOException | RuntimeException e) {
            Logger.warn("raw spool {} unusable ({}); raw chunks are not stored until it is", s.dir, e.toString());
        }
        if (!s.index.isEmpty()) {
            Logger.info("raw spool: {} chunk(s), {} bytes waiting", s.index.size(), s.bytes);
        }
        return s;
    }

    /** A new capture id: {@code max(last + 1, nowUnixS)}, recorded before it is returned. */
    public synchronized long newCaptureId(long nowUnixS) {
        long id = Math.max(Math.max(lastCaptureId, index.isEmpty() ? 0 : index.lastKey().captureId()) + 1,
                nowUnixS);
        lastCaptureId = id;
        try {
            AtomicFile.write(dir.resolve(LAST_ID), Long.toString(id).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            Logger.warn("raw spool: capture id {} not recorded ({}); ids stay unique unless the clock goes back",
                    id, e.toString());
        }
        return id;
    }

    /** Encodes and stores {@code chunk} (see the class comment). */
    public synchronized Stored store(RawChunk chunk) {
        byte[] payload = RawChunkCodec.encode(chunk);
        if (bytes + payload.length > quotaBytes) {
            refused++;
            return Stored.QUOTA;
        }
        if (usableSpace.getAsLong() - payload.length < DISK_RESERVE_BYTES) {
            refused++;
            return Stored.DISK_LOW;
        }
        Key key = new Key(chunk.captureId(), chunk.chunk());
        try {
            AtomicFile.write(dir.resolve(key.file()), payload);
        } catch (IOException e) {
            failed++;
            Logger.warn("raw chunk {}/{} not stored: {}", chunk.captureId(), chunk.chunk(), e.toString());
            return Stored.FAILED;
        }
        Long before = index.put(key, (long) payload.length);
        bytes += payload.length - (before == null ? 0 : before);
        stored++;
        return Stored.STORED;
    }

    @Override
    public synchronized Chunk next(long afterCaptureId, long afterChunk) {
        Map.Entry<Key, Long> e = index.higherEntry(new Key(afterCaptureId, afterChunk));
        while (e != null) {
            Key k = e.getKey();
            try {
                byte[] payload = Files.readAllBytes(dir.resolve(k.file()));
                RawChunkCodec.decode(payload); // a torn or damaged file must not reach the broker
                return new Chunk(k.captureId(), k.chunk(), payload);
            } catch (IOException | ContractViolation ex) {
                Logger.warn("raw chunk file {} unreadable ({}); deleted", k.file(), ex.toString());
                drop(k);
                removed++;
            }
            e = index.higherEntry(k);
        }
        return null;
    }

    @Override
    public synchronized void acknowledged(Chunk c) {
        uploaded++;
        drop(new Key(c.captureId(), c.chunk()));
    }

    @Override
    public synchronized void rejected(Chunk c, String why) {
        removed++;
        Logger.warn("raw chunk {}/{} deleted: {}", c.captureId(), c.chunk(), why);
        drop(new Key(c.captureId(), c.chunk()));
    }

    /** Bytes of chunk files now. */
    public synchronized long bytes() {
        return bytes;
    }

    public long quotaBytes() {
        return quotaBytes;
    }

    public synchronized Status status() {
        return new Status(index.size(), bytes, quotaBytes, stored, uploaded, refused, failed, removed);
    }

    private void drop(Key k) {
        Long size = index.remove(k);
        if (size != null) {
            bytes -= size;
        }
        try {
            Files.deleteIfExists(dir.resolve(k.file()));
        } catch (IOException e) {
            Logger.warn("cannot delete raw chunk {}: {}", k.file(), e.toString());
        }
    }

    /** Receives the chunks of a spool folder, read without changing anything. */
    @FunctionalInterface
    public interface ChunkReader {
        void accept(String file, byte[] payload) throws IOException;
    }

    /**
     * Hands every chunk file of {@code spoolDir} to {@code reader}, oldest first, only reading (for
     * {@code pettysync agent export}); a file that cannot be read is listed in {@code skipped}. A missing folder
     * has no chunks.
     */
    public static void forEachChunk(Path spoolDir, ChunkReader reader, List<String> skipped) throws IOException {
        if (!Files.isDirectory(spoolDir)) {
            return;
        }
        TreeMap<Key, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(spoolDir)) {
            for (Path f : s) {
                Matcher m = FILE.matcher(f.getFileName().toString());
                if (m.matches()) {
                    files.put(new Key(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))), f);
                }
            }
        }
        List<Path> ordered = new ArrayList<>(files.values());
        for (Path f : ordered) {
            byte[] payload;
            try {
                payload = Files.readAllBytes(f);
            } catch (IOException e) {
                skipped.add("raw chunk " + f.getFileName() + ": " + e.getMessage());
                continue;
            }
            reader.accept(f.getFileName().toString(), payload);
        }
    }
}
