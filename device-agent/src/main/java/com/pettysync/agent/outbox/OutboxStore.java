package com.pettysync.agent.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * The collar's durable outbox: every telemetry and event frame lives here from the moment it is made until the
 * broker acknowledged it.
 *
 * <h2>Guarantee</h2>
 * <ul>
 * <li>{@link #append} allocates the frame's counter ({@code seq} for telemetry, {@code eseq} for events), builds
 * the payload with it, inserts the frame and advances the counter in <em>one</em> SQLite transaction, committed
 * with {@code synchronous=FULL} in WAL mode before {@code append} returns. So a frame handed to the uplink is on
 * disk, and a counter value that was ever written into a frame is never handed out again — across process kills,
 * reboots and power loss.</li>
 * <li>A frame leaves the outbox only through {@link #acknowledge} (call it after the PUBACK) or the capacity drop
 * policy. After a restart every frame still here is offered again ({@link #pendingAfter} from 0): delivery is at
 * least once; the cloud removes duplicates by {@code (thing, seq)} / {@code (thing, eseq)} (contract §8).</li>
 * <li>Capacity is counted in frames. Appending to a full outbox first discards the oldest telemetry frame (the
 * oldest event only when no telemetry is left), counts it in {@link OutboxHealth#droppedTotal}, and raises a
 * persistent "dropped" mark that the next telemetry frame receives as {@link FrameBuilder.Context#outboxDropped}
 * (frame flag 256, contract §8); the mark is cleared in the same transaction that commits that frame.</li>
 * </ul>
 *
 * <h2>Failure model (the agent keeps running in every case)</h2>
 * <ul>
 * <li><b>Process kill / power loss:</b> nothing committed is lost; an append in progress is either wholly there
 * or wholly absent; frames offered but not yet acknowledged are re-offered after restart (duplicates, not loss).
 * </li>
 * <li><b>Full disk, read-only or vanished file system</b> ({@code SQLITE_FULL}, {@code SQLITE_READONLY},
 * {@code SQLITE_IOERR}, {@code SQLITE_CANTOPEN}): the store degrades to memory. It copies the frames it can still
 * read, keeps appending (same capacity, same drop policy) and acknowledging in memory, reports
 * {@code durable=false} with the fault, and every {@code retryEvery} (on the injected clock) tries to reopen the
 * database; when that works it writes the memory frames back, deletes the ones acknowledged meanwhile, and is
 * durable again. Caveat: frames appended while degraded are lost if the process dies before recovery, and a
 * reboot while degraded may hand out again counter values that were used only in memory.</li>
 * <li><b>Corrupt database file</b> ({@code SQLITE_CORRUPT}, {@code SQLITE_NOTADB}, or a failing
 * {@code PRAGMA quick_check} on open): the file (with its {@code -wal} and {@code -shm}) is moved aside to
 * {@code outbox.db.corrupt-<epoch ms>}, reported in {@link OutboxHealth#movedAside}, and a new database is
 * started. The frames in the corrupt file are not sent (the file is kept for inspection). The counters continue
 * from memory when the process was running, or from the reservation file (below) at start-up, so they still never
 * repeat; after a start-up there may be a gap.</li>
 * </ul>
 *
 * <h2>Files in the data directory</h2>
 * <pre>
 * outbox.db            SQLite 3, WAL mode, user_version 1
 *   frame(id INTEGER PRIMARY KEY AUTOINCREMENT,   -- offer order, never reused
 *         kind INTEGER NOT NULL,                  -- 0 telemetry, 1 event
 *         counter INTEGER NOT NULL,               -- seq or eseq inside the payload
 *         created_ms INTEGER NOT NULL,            -- commit time, Unix ms (agent clock)
 *         payload BLOB NOT NULL)                  -- the frame, byte for byte as published
 *   INDEX frame_kind ON frame(kind, id)           -- the uplink's event lane; the drop order (telemetry first)
 *   counter(name TEXT PRIMARY KEY, value INTEGER NOT NULL)
 *         -- 'seq', 'eseq': next value to hand out; 'dropped': 1 while the outbox_dropped mark is pending;
 *         -- 'clip': next voice clip id (ids start at 1; 0 means "no clip" on the wire)
 *   voice_clip(clip_id INTEGER PRIMARY KEY,       -- contract §5 clip_id, never reused (like seq)
 *         t0_ms INTEGER NOT NULL,                 -- clip start, Unix ms
 *         class INTEGER NOT NULL, conf_pct INTEGER NOT NULL,  -- the episode (contract §4 type 6)
 *         codec INTEGER NOT NULL,                 -- 0 PCM s16le, 1 IMA ADPCM
 *         sample_rate INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
 *         bytes INTEGER NOT NULL,                 -- audio bytes in the file
 *         parts INTEGER NOT NULL,                 -- contract parts of the clip
 *         parts_acked INTEGER NOT NULL,           -- parts 0 … parts_acked-1 have their PUBACK
 *         file TEXT NOT NULL,                     -- file name under clips/ (agent.voice.VoiceClips)
 *         created_ms INTEGER NOT NULL)
 * outbox.db-wal, outbox.db-shm   SQLite's WAL files
 * counters.reserve     text, lines "seq=N", "eseq=N" and "clip=N": an upper bound of every counter value handed out.
 *                      Raised in blocks of 1024 (written, fsynced and renamed into place before a counter
 *                      reaches it), so it is written about once per 1024 frames. Read only when a new database
 *                      is created (first start, or after a corrupt one was moved aside).
 * </pre>
 *
 * <p>Where each part lives (package-private, called under this store's lock): the SQL of {@code frame} and
 * {@code counter} in {@link OutboxDatabase}, of {@code voice_clip} in {@link VoiceClipIndex}; the counters and
 * {@code counters.reserve} in {@link Counters}; the degraded mode's frames in {@link MemoryFallback}. This class
 * holds the policy: transactions, the drop policy and mark, degrading, recovering and moving a corrupt file aside.
 *
 * <p>Thread safety: all methods are synchronized; one SQLite connection serves them.
 */
public final class OutboxStore implements Outbox {
    public static final String DB_FILE = "outbox.db";
    public static final String RESERVE_FILE = "counters.reserve";

    /**
     * @param capacityFrames frames kept before the drop policy starts
     * @param retryEvery     how often a degraded store tries to get back to disk
     * @param maxPageCount   SQLite {@code max_page_count} (a size quota for the file: the store degrades as on a
     *                       full disk when it is reached); 0 for no quota
     */
    public record Options(int capacityFrames, Duration retryEvery, long maxPageCount) {
        public Options {
            if (capacityFrames < 1) {
                throw new IllegalArgumentException("capacityFrames must be >= 1");
            }
        }

        public static Options withCapacity(int capacityFrames) {
            return new Options(capacityFrames, Duration.ofSeconds(60), 0);
        }
    }

    /** A database write that {@link #write} guards. */
    @FunctionalInterface
    private interface Write {
        void run() throws SQLException;
    }

    /** What {@link #appendDurable}'s transaction committed. */
    private record Committed(OutboxEntry entry, long dropped, boolean markAfter) {
    }

    private final Path dir;
    private final Path dbFile;
    private final Options options;
    private final Clock clock;
    private final Counters counters;

    private Connection db; // null while degraded
    private boolean droppedMark; // mirrors the database while durable
    private long droppedTotal;
    private long lastId;

    // degraded mode
    private final MemoryFallback memory;
    private Instant nextRetry = Instant.MIN;
    private String fault;
    private Path movedAside;
    private boolean closed;
    private long generation;

    private OutboxStore(Path dir, Options options, Clock clock) {
        this.dir = dir;
        this.dbFile = dir.resolve(DB_FILE);
        this.options = options;
        this.clock = clock;
        this.counters = Counters.readReserve(dir);
        this.memory = new MemoryFallback(options.capacityFrames(), clock);
    }

    /**
     * Opens (or creates) the outbox in {@code dataDirectory}. Never fails for storage reasons: an unusable
     * directory gives a degraded (memory) store, a corrupt file is moved aside; see the class comment.
     */
    public static OutboxStore open(Path dataDirectory, Options options, Clock clock) {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            Logger.warn("cannot create data directory {}: {}", dataDirectory, oneLine(e));
        }
        OutboxStore store = new OutboxStore(dataDirectory, options, clock);
        try {
            store.db = store.openDatabase();
            store.loadCounters(store.db);
            Logger.info("outbox open: {} frames pending in {}", store.size(), store.dbFile);
        } catch (SQLException e) {
            OutboxDatabase.closeQuietly(store.db);
            store.db = null;
            // nothing is known about the ids in the unreachable database: number memory frames far above any
            // id it can hold (ids only need to grow), so the two sets never collide when they are merged
            store.lastId = Math.max(store.lastId, clock.millis() * 1000);
            // the reservation is an upper bound of every counter handed out, so continuing there never repeats
            store.counters.continueFromReserve();
            store.degrade(e, false);
        }
        return store;
    }

    /**
     * Allocates the next counter of {@code kind}, builds the frame with {@code builder} and commits it; applies the
     * drop policy first when the outbox is full. Returns the committed entry (in memory when degraded).
     *
     * @throws RuntimeException whatever {@code builder} throws; the outbox is then unchanged
     */
    @Override
    public synchronized OutboxEntry append(FrameKind kind, FrameBuilder builder) {
        checkOpen();
        maybeRecover();
        if (db != null) {
            try {
                return appendDurable(kind, builder);
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return appendInMemory(kind, builder);
    }

    /** Up to {@code limit} pending frames with {@code id > afterId}, oldest first. */
    @Override
    public synchronized List<OutboxEntry> pendingAfter(long afterId, int limit) {
        return pending(afterId, limit, null);
    }

    /**
     * Up to {@code limit} pending frames of {@code kind} with {@code id > afterId}, oldest first (the uplink's
     * event lane: events go before any backlog telemetry).
     */
    @Override
    public synchronized List<OutboxEntry> pendingAfter(long afterId, int limit, FrameKind kind) {
        return pending(afterId, limit, Objects.requireNonNull(kind, "kind"));
    }

    private List<OutboxEntry> pending(long afterId, int limit, FrameKind kindOrAll) {
        checkOpen();
        maybeRecover();
        if (db != null) {
            try {
                return OutboxDatabase.pendingAfter(db, afterId, limit, kindOrAll);
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return memory.pendingAfter(afterId, limit, kindOrAll);
    }

    /** Removes frame {@code id} after its PUBACK. Idempotent: an unknown or already removed id is ignored. */
    @Override
    public synchronized void acknowledge(long id) {
        checkOpen();
        if (db != null) {
            try {
                OutboxDatabase.deleteFrame(db, id);
                return;
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        if (db == null) {
            memory.remove(id);
        } else {
            acknowledge(id); // recovered from corruption into a new database: the frame is gone anyway
        }
        maybeRecover();
    }

    /**
     * Removes every frame of {@code ids} after their PUBACKs in <b>one</b> transaction: one WAL commit (one fsync)
     * however many PUBACKs arrived together, which spares an SD card while a backlog drains. Idempotent like
     * {@link #acknowledge}.
     */
    @Override
    public synchronized void acknowledgeAll(Collection<Long> ids) {
        checkOpen();
        if (ids.isEmpty()) {
            return;
        }
        if (ids.size() == 1) {
            acknowledge(ids.iterator().next());
            return;
        }
        if (db != null) {
            try {
                Connection c = db;
                OutboxDatabase.inTransaction(c, () -> {
                    OutboxDatabase.deleteFrames(c, ids);
                    return null;
                });
                return;
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        for (long id : ids) {
            acknowledge(id); // degraded or recovered: one by one, as acknowledge does
        }
    }

    /** The id of the newest pending frame, or 0 when the outbox is empty. */
    @Override
    public synchronized long newestId() {
        checkOpen();
        if (db != null) {
            try {
                return OutboxDatabase.newestId(db);
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return memory.newestId();
    }

    /** Frames waiting for a PUBACK. */
    @Override
    public synchronized int size() {
        if (db != null) {
            try {
                return OutboxDatabase.count(db);
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return memory.size();
    }

    @Override
    public synchronized OutboxHealth health() {
        return new OutboxHealth(db != null, size(), droppedTotal, fault, movedAside);
    }

    /**
     * Bumped whenever frames with lower ids than those already seen may have appeared (the store went back to disk,
     * or a corrupt database was replaced): a reader that walks {@link #pendingAfter} with a cursor starts over.
     */
    @Override
    public synchronized long generation() {
        return generation;
    }

    /** Where the database lives. */
    public Path databaseFile() {
        return dbFile;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (db != null) {
            try {
                OutboxDatabase.checkpoint(db);
            } catch (SQLException e) {
                Logger.warn("outbox checkpoint on close failed: {}", oneLine(e));
            }
            OutboxDatabase.closeQuietly(db);
            db = null;
        } else if (memory.size() > 0) {
            Logger.warn("outbox closed while degraded: {} frames held only in memory are lost", memory.size());
        }
    }

    // ---------------------------------------------------------------- counters

    /** Reads the counters of a just-opened database; a new database starts from the reservation file. */
    private void loadCounters(Connection c) throws SQLException {
        Map<String, Long> values = OutboxDatabase.readCounters(c);
        counters.load(values);
        droppedMark = droppedMark || values.getOrDefault(OutboxDatabase.DROPPED, 0L) != 0;
        lastId = Math.max(lastId, OutboxDatabase.highestIdEverUsed(c));
        OutboxDatabase.inTransaction(c, () -> {
            writeCounters(c);
            return null;
        });
    }

    /** Writes this store's counters and dropped mark into {@code c} (inside the caller's transaction). */
    private void writeCounters(Connection c) throws SQLException {
        counters.writeAll(c);
        OutboxDatabase.setCounter(c, OutboxDatabase.DROPPED, droppedMark ? 1 : 0);
    }

    // ---------------------------------------------------------------- durable path

    private OutboxEntry appendDurable(FrameKind kind, FrameBuilder builder) throws SQLException {
        long counter = counters.reserveNext(kind);
        Connection c = db;
        Committed done = OutboxDatabase.inTransaction(c, () -> {
            int count = OutboxDatabase.count(c);
            boolean mark = droppedMark;
            long dropped = 0;
            while (count >= options.capacityFrames()) {
                OutboxDatabase.dropOldest(c);
                count--;
                dropped++;
                mark = true;
            }
            byte[] payload = builder.build(counter, new FrameBuilder.Context(count, mark));
            Instant now = clock.instant();
            long id = OutboxDatabase.insertFrame(c, kind, counter, now, payload);
            boolean markAfter = kind == FrameKind.TELEMETRY ? false : mark;
            counters.writeNext(c, kind, counter);
            OutboxDatabase.setCounter(c, OutboxDatabase.DROPPED, markAfter ? 1 : 0);
            return new Committed(new OutboxEntry(id, kind, counter, now, payload), dropped, markAfter);
        });
        counters.advance(kind, counter);
        droppedMark = done.markAfter();
        droppedTotal += done.dropped();
        lastId = Math.max(lastId, done.entry().id());
        if (done.dropped() > 0) {
            Logger.warn("outbox full ({} frames): dropped {} oldest frame(s)", options.capacityFrames(),
                    done.dropped());
        }
        return done.entry();
    }

    private Connection openDatabase() throws SQLException {
        try {
            return OutboxDatabase.open(dbFile, options.maxPageCount());
        } catch (SQLException e) {
            if (OutboxDatabase.isCorrupt(e) && moveAside(e)) {
                return openDatabase();
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- degraded path

    private OutboxEntry appendInMemory(FrameKind kind, FrameBuilder builder) {
        long counter = counters.reserveNext(kind);
        MemoryFallback.Appended done = memory.append(kind, counter, lastId + 1, droppedMark, builder);
        droppedTotal += done.dropped();
        counters.advance(kind, counter);
        droppedMark = kind == FrameKind.TELEMETRY ? false : droppedMark || done.dropped() > 0;
        lastId = done.entry().id();
        return done.entry();
    }

    private void onFailure(SQLException e) {
        if (OutboxDatabase.isCorrupt(e)) {
            OutboxDatabase.closeQuietly(db);
            db = null;
            if (!moveAside(e)) {
                degrade(e, false);
                return;
            }
            try {
                db = openDatabase();
                loadCounters(db);
                return;
            } catch (SQLException again) {
                OutboxDatabase.closeQuietly(db);
                db = null;
                degrade(again, false);
                return;
            }
        }
        degrade(e, true);
    }

    private void degrade(SQLException cause, boolean copyFrames) {
        fault = oneLine(cause);
        if (copyFrames && db != null) {
            lastId = Math.max(lastId, memory.holdAll(db));
        }
        OutboxDatabase.closeQuietly(db);
        db = null;
        nextRetry = clock.instant().plus(options.retryEvery());
        generation++;
        Logger.error("outbox storage fault, continuing in memory ({} frames held): {}", memory.size(), fault);
    }

    private void maybeRecover() {
        if (db != null || closed || clock.instant().isBefore(nextRetry)) {
            return;
        }
        nextRetry = clock.instant().plus(options.retryEvery());
        Connection c = null;
        try {
            c = openDatabase();
            loadCounters(c);
            Connection opened = c;
            OutboxDatabase.inTransaction(opened, () -> {
                int dropped = memory.writeBack(opened);
                droppedTotal += dropped;
                droppedMark = droppedMark || dropped > 0;
                writeCounters(opened);
                return null;
            });
            Logger.info("outbox back on disk: {} frames written back from memory", memory.size());
            db = c;
            generation++;
            memory.clear();
            fault = null;
        } catch (SQLException e) {
            OutboxDatabase.closeQuietly(c); // closing discards a transaction left open
            fault = oneLine(e);
            Logger.debug("outbox still degraded: {}", fault);
        }
    }

    // ---------------------------------------------------------------- voice clip index

    /**
     * Hands out the next voice clip id: ≥ 1 and never handed out before, also across restarts and a new database
     * (the reservation file is raised before the id is used, as for {@code seq}). Returns 0 ("no clip") while the
     * store is degraded or when the reservation cannot be written: a clip needs a durable index.
     */
    public synchronized long allocateClipId() {
        checkOpen();
        maybeRecover();
        return db == null ? 0 : counters.allocateClip();
    }

    /**
     * Indexes a clip whose file is already in place, and advances the persistent clip counter past its id, in one
     * transaction. Returns false when the store is degraded or the write failed (the failure is handled as for
     * frames: the store may degrade or move a corrupt database aside); the caller then deletes the file.
     */
    public synchronized boolean insertClip(VoiceClipEntry c) {
        return write(() -> {
            long next = counters.nextClipAfter(c.clipId());
            VoiceClipIndex.insert(db, c, next);
            counters.clipIndexed(next);
        });
    }

    /** Up to {@code limit} indexed clips, oldest (lowest id) first; empty while the store is degraded. */
    public synchronized Optional<List<VoiceClipEntry>> clips(int limit) {
        checkOpen();
        maybeRecover();
        if (db == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(VoiceClipIndex.list(db, limit));
        } catch (SQLException e) {
            onFailure(e);
            return Optional.empty();
        }
    }

    /** Records that parts {@code 0 … partsAcked-1} of a clip were acknowledged; false if not written. */
    public synchronized boolean setClipPartsAcked(long clipId, int partsAcked) {
        return write(() -> VoiceClipIndex.setPartsAcked(db, clipId, partsAcked));
    }

    /** Removes a clip from the index (idempotent); false if not written. */
    public synchronized boolean deleteClip(long clipId) {
        return write(() -> VoiceClipIndex.delete(db, clipId));
    }

    /** Runs {@code w} on the database; false when degraded or it failed (the failure handled as for frames). */
    private boolean write(Write w) {
        checkOpen();
        if (db == null) {
            return false;
        }
        try {
            w.run();
            return true;
        } catch (SQLException e) {
            onFailure(e);
            return false;
        }
    }

    // ---------------------------------------------------------------- corruption

    private boolean moveAside(SQLException cause) {
        Path target = dir.resolve(DB_FILE + ".corrupt-" + clock.millis());
        try {
            OutboxDatabase.moveFiles(dbFile, target);
            movedAside = target;
            fault = "corrupt database moved aside to " + target.getFileName() + ": " + oneLine(cause);
            Logger.error("outbox database corrupt ({}); moved aside to {} and starting a new one", oneLine(cause),
                    target);
            generation++;
            return true;
        } catch (IOException io) {
            Logger.error("outbox database corrupt and cannot be moved aside: {}", oneLine(io));
            return false;
        }
    }

    // ---------------------------------------------------------------- misc

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("outbox closed");
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
