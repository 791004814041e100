package com.pettysync.agent.outbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
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
 * <p>Thread safety: all methods are synchronized; one SQLite connection serves them.
 */
public final class OutboxStore implements Outbox {
    public static final String DB_FILE = "outbox.db";
    public static final String RESERVE_FILE = "counters.reserve";
    static final long RESERVE_BLOCK = 1024;
    /** Counters are uints of 32 bits on the wire (contract §3). */
    static final long MAX_COUNTER = 0xFFFF_FFFFL;

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

    private final Path dir;
    private final Path dbFile;
    private final Options options;
    private final Clock clock;

    private Connection db; // null while degraded
    // authoritative copies of the counters (mirrors the database while durable)
    private long nextSeq;
    private long nextEseq;
    private long reservedSeq;
    private long reservedEseq;
    private long nextClipId = 1;
    private long reservedClip;
    private boolean droppedMark;
    private long droppedTotal;
    private long lastId;

    // degraded mode
    private final TreeMap<Long, OutboxEntry> memory = new TreeMap<>();
    private final Set<Long> removedWhileDegraded = new HashSet<>();
    private Instant nextRetry = Instant.MIN;
    private String fault;
    private Path movedAside;
    private boolean closed;
    private long generation;
    private boolean countersKnown;

    private OutboxStore(Path dir, Options options, Clock clock) {
        this.dir = dir;
        this.dbFile = dir.resolve(DB_FILE);
        this.options = options;
        this.clock = clock;
    }

    /**
     * Opens (or creates) the outbox in {@code dataDirectory}. Never fails for storage reasons: an unusable
     * directory gives a degraded (memory) store, a corrupt file is moved aside; see the class comment.
     */
    public static OutboxStore open(Path dataDirectory, Options options, Clock clock) {
        OutboxStore store = new OutboxStore(dataDirectory, options, clock);
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            Logger.warn("cannot create data directory {}: {}", dataDirectory, oneLine(e));
        }
        store.readReserve();
        try {
            store.db = store.openDatabase();
            store.loadCounters(store.db);
            Logger.info("outbox open: {} frames pending in {}", store.size(), store.dbFile);
        } catch (SQLException e) {
            store.closeQuietly(store.db);
            store.db = null;
            // nothing is known about the ids in the unreachable database: number memory frames far above any
            // id it can hold (ids only need to grow), so the two sets never collide when they are merged
            store.lastId = Math.max(store.lastId, clock.millis() * 1000);
            // the reservation is an upper bound of every counter handed out, so continuing there never repeats
            store.nextSeq = store.reservedSeq;
            store.nextEseq = store.reservedEseq;
            store.nextClipId = Math.max(1, store.reservedClip);
            store.countersKnown = true;
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
        checkOpen();
        maybeRecover();
        if (db != null) {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT id, kind, counter, created_ms, payload FROM frame WHERE id > ? ORDER BY id LIMIT ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, limit);
                List<OutboxEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return memory.tailMap(afterId, false).values().stream().limit(limit).toList();
    }

    /**
     * Up to {@code limit} pending frames of {@code kind} with {@code id > afterId}, oldest first (the uplink's
     * event lane: events go before any backlog telemetry).
     */
    @Override
    public synchronized List<OutboxEntry> pendingAfter(long afterId, int limit, FrameKind kind) {
        checkOpen();
        maybeRecover();
        if (db != null) {
            try (PreparedStatement ps = db.prepareStatement("SELECT id, kind, counter, created_ms, payload FROM frame"
                    + " WHERE kind = ? AND id > ? ORDER BY id LIMIT ?")) {
                ps.setInt(1, kind.code);
                ps.setLong(2, afterId);
                ps.setInt(3, limit);
                List<OutboxEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return memory.tailMap(afterId, false).values().stream().filter(e -> e.kind() == kind).limit(limit).toList();
    }

    /** Removes frame {@code id} after its PUBACK. Idempotent: an unknown or already removed id is ignored. */
    @Override
    public synchronized void acknowledge(long id) {
        checkOpen();
        if (db != null) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM frame WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
                return;
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        if (db == null) {
            memory.remove(id);
            removedWhileDegraded.add(id);
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
    public synchronized void acknowledgeAll(java.util.Collection<Long> ids) {
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
                db.setAutoCommit(false);
                try (PreparedStatement ps = db.prepareStatement("DELETE FROM frame WHERE id = ?")) {
                    for (long id : ids) {
                        ps.setLong(1, id);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    db.commit();
                    return;
                } catch (SQLException e) {
                    try {
                        db.rollback();
                    } catch (SQLException r) {
                        Logger.debug("outbox rollback failed: {}", oneLine(r));
                    }
                    throw e;
                } finally {
                    if (db != null) {
                        db.setAutoCommit(true);
                    }
                }
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
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM frame")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                onFailure(e);
            }
        }
        return memory.isEmpty() ? 0 : memory.lastKey();
    }

    /** Frames waiting for a PUBACK. */
    @Override
    public synchronized int size() {
        if (db != null) {
            try {
                return count(db);
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
            try (Statement st = db.createStatement()) {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            } catch (SQLException e) {
                Logger.warn("outbox checkpoint on close failed: {}", oneLine(e));
            }
            closeQuietly(db);
            db = null;
        } else if (!memory.isEmpty()) {
            Logger.warn("outbox closed while degraded: {} frames held only in memory are lost", memory.size());
        }
    }

    // ---------------------------------------------------------------- durable path

    private OutboxEntry appendDurable(FrameKind kind, FrameBuilder builder) throws SQLException {
        long counter = kind == FrameKind.TELEMETRY ? nextSeq : nextEseq;
        checkCounter(counter);
        reserveFor(kind, counter);
        db.setAutoCommit(false);
        boolean committed = false;
        try {
            int count = count(db);
            boolean mark = droppedMark;
            long dropped = 0;
            while (count >= options.capacityFrames()) {
                dropOldest(db);
                count--;
                dropped++;
                mark = true;
            }
            byte[] payload = builder.build(counter, new FrameBuilder.Context(count, mark));
            Instant now = clock.instant();
            long id;
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT INTO frame(kind, counter, created_ms, payload) VALUES (?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setInt(1, kind.code);
                ps.setLong(2, counter);
                ps.setLong(3, now.toEpochMilli());
                ps.setBytes(4, payload);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            boolean markAfter = kind == FrameKind.TELEMETRY ? false : mark;
            setCounter(db, kind == FrameKind.TELEMETRY ? "seq" : "eseq", counter + 1);
            setCounter(db, "dropped", markAfter ? 1 : 0);
            db.commit();
            committed = true;
            if (kind == FrameKind.TELEMETRY) {
                nextSeq = counter + 1;
            } else {
                nextEseq = counter + 1;
            }
            droppedMark = markAfter;
            droppedTotal += dropped;
            lastId = Math.max(lastId, id);
            if (dropped > 0) {
                Logger.warn("outbox full ({} frames): dropped {} oldest frame(s)", options.capacityFrames(), dropped);
            }
            return new OutboxEntry(id, kind, counter, now, payload);
        } finally {
            if (!committed) {
                try {
                    db.rollback();
                } catch (SQLException e) {
                    Logger.debug("outbox rollback failed: {}", oneLine(e));
                }
            }
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                Logger.debug("outbox autocommit reset failed: {}", oneLine(e));
            }
        }
    }

    private void dropOldest(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            int n = st.executeUpdate("DELETE FROM frame WHERE id = (SELECT id FROM frame ORDER BY kind, id LIMIT 1)");
            if (n != 1) {
                throw new IllegalStateException("outbox full but nothing to drop");
            }
        }
    }

    private static int count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM frame")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void setCounter(Connection c, String name, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO counter(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, name);
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong(1), FrameKind.of(rs.getInt(2)), rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getBytes(5));
    }

    private Connection openDatabase() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 2000");
                try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
                    String result = rs.next() ? rs.getString(1) : "no result";
                    if (!"ok".equals(result)) {
                        throw new SQLiteException("quick_check: " + result, SQLiteErrorCode.SQLITE_CORRUPT);
                    }
                }
                try (ResultSet rs = st.executeQuery("PRAGMA journal_mode = WAL")) {
                    String mode = rs.next() ? rs.getString(1) : "";
                    if (!"wal".equalsIgnoreCase(mode)) {
                        throw new SQLiteException("cannot switch to WAL (journal_mode " + mode + ")",
                                SQLiteErrorCode.SQLITE_CANTOPEN);
                    }
                }
                st.execute("PRAGMA synchronous = FULL");
                if (options.maxPageCount() > 0) {
                    st.execute("PRAGMA max_page_count = " + options.maxPageCount());
                }
                st.execute("CREATE TABLE IF NOT EXISTS frame (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                        + "kind INTEGER NOT NULL, counter INTEGER NOT NULL, created_ms INTEGER NOT NULL, "
                        + "payload BLOB NOT NULL)");
                st.execute("CREATE INDEX IF NOT EXISTS frame_kind ON frame(kind, id)");
                st.execute("CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS voice_clip (clip_id INTEGER PRIMARY KEY, t0_ms INTEGER NOT NULL, "
                        + "class INTEGER NOT NULL, conf_pct INTEGER NOT NULL, codec INTEGER NOT NULL, "
                        + "sample_rate INTEGER NOT NULL, duration_ms INTEGER NOT NULL, bytes INTEGER NOT NULL, "
                        + "parts INTEGER NOT NULL, parts_acked INTEGER NOT NULL, file TEXT NOT NULL, "
                        + "created_ms INTEGER NOT NULL)");
                st.execute("PRAGMA user_version = 1");
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            if (isCorrupt(e) && moveAside(e)) {
                return openDatabase();
            }
            throw e;
        }
    }

    /** Reads the counters of a just-opened database; a new database starts from the reservation file. */
    private void loadCounters(Connection c) throws SQLException {
        Map<String, Long> values = new java.util.HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, value FROM counter")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        long dbSeq = values.getOrDefault("seq", -1L);
        long dbEseq = values.getOrDefault("eseq", -1L);
        long dbClip = values.getOrDefault("clip", -1L);
        // a new database: continue from the counters in memory when this process knows them (it has been running),
        // else from the reservation (an upper bound of every value handed out, so a gap but never a repeat)
        nextSeq = Math.max(nextSeq, dbSeq >= 0 ? dbSeq : countersKnown ? nextSeq : reservedSeq);
        nextEseq = Math.max(nextEseq, dbEseq >= 0 ? dbEseq : countersKnown ? nextEseq : reservedEseq);
        nextClipId = Math.max(Math.max(1, nextClipId), dbClip >= 0 ? dbClip : countersKnown ? nextClipId : reservedClip);
        countersKnown = true;
        droppedMark = droppedMark || values.getOrDefault("dropped", 0L) != 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT max(id), (SELECT seq FROM sqlite_sequence WHERE name='frame') "
                        + "FROM frame")) {
            rs.next();
            lastId = Math.max(lastId, Math.max(rs.getLong(1), rs.getLong(2)));
        } catch (SQLException e) {
            // sqlite_sequence exists only after the first insert
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(id) FROM frame")) {
                rs.next();
                lastId = Math.max(lastId, rs.getLong(1));
            }
        }
        c.setAutoCommit(false);
        try {
            setCounter(c, "seq", nextSeq);
            setCounter(c, "eseq", nextEseq);
            setCounter(c, "clip", nextClipId);
            setCounter(c, "dropped", droppedMark ? 1 : 0);
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    // ---------------------------------------------------------------- counter reservation file

    private void readReserve() {
        Path f = dir.resolve(RESERVE_FILE);
        if (!Files.isRegularFile(f)) {
            return;
        }
        try {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
                p.load(in);
            }
            reservedSeq = Long.parseLong(p.getProperty("seq", "0").trim());
            reservedEseq = Long.parseLong(p.getProperty("eseq", "0").trim());
            reservedClip = Long.parseLong(p.getProperty("clip", "0").trim());
        } catch (IOException | NumberFormatException e) {
            Logger.warn("counter reservation file {} unreadable ({}); counters start from the database", f,
                    oneLine(e));
        }
    }

    /** Makes sure {@code counter} is below the persisted reservation before it is handed out. */
    private void reserveFor(FrameKind kind, long counter) {
        long reserved = kind == FrameKind.TELEMETRY ? reservedSeq : reservedEseq;
        if (counter < reserved) {
            return;
        }
        long newSeq = kind == FrameKind.TELEMETRY ? counter + RESERVE_BLOCK : reservedSeq;
        long newEseq = kind == FrameKind.EVENT ? counter + RESERVE_BLOCK : reservedEseq;
        writeReserve(newSeq, newEseq, reservedClip);
    }

    /** Writes the reservation file (temp, fsync, rename); never below the counters in use. */
    private boolean writeReserve(long newSeq, long newEseq, long newClip) {
        newSeq = Math.max(newSeq, nextSeq);
        newEseq = Math.max(newEseq, nextEseq);
        newClip = Math.max(newClip, nextClipId);
        Path f = dir.resolve(RESERVE_FILE);
        Path tmp = dir.resolve(RESERVE_FILE + ".tmp");
        try {
            byte[] text = ("seq=" + newSeq + "\neseq=" + newEseq + "\nclip=" + newClip + "\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(text));
                ch.force(true);
            }
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            reservedSeq = newSeq;
            reservedEseq = newEseq;
            reservedClip = newClip;
            return true;
        } catch (IOException e) {
            // not fatal: the database counter is still the primary record
            Logger.warn("cannot write counter reservation {}: {}", f, oneLine(e));
            return false;
        }
    }

    private static void checkCounter(long counter) {
        if (counter > MAX_COUNTER) {
            throw new IllegalStateException("frame counter exhausted (2^32 frames)");
        }
    }

    // ---------------------------------------------------------------- degraded path

    private OutboxEntry appendInMemory(FrameKind kind, FrameBuilder builder) {
        long counter = kind == FrameKind.TELEMETRY ? nextSeq : nextEseq;
        checkCounter(counter);
        reserveFor(kind, counter);
        boolean mark = droppedMark;
        int count = memory.size();
        List<Long> drop = new ArrayList<>();
        if (count >= options.capacityFrames()) {
            // oldest telemetry first, then oldest events
            List<Long> order = new ArrayList<>();
            memory.values().stream().filter(e -> e.kind() == FrameKind.TELEMETRY).forEach(e -> order.add(e.id()));
            memory.values().stream().filter(e -> e.kind() == FrameKind.EVENT).forEach(e -> order.add(e.id()));
            Iterator<Long> it = order.iterator();
            while (count >= options.capacityFrames() && it.hasNext()) {
                drop.add(it.next());
                count--;
                mark = true;
            }
        }
        byte[] payload = builder.build(counter, new FrameBuilder.Context(count, mark));
        for (Long id : drop) {
            memory.remove(id);
            removedWhileDegraded.add(id);
        }
        droppedTotal += drop.size();
        if (kind == FrameKind.TELEMETRY) {
            nextSeq = counter + 1;
            droppedMark = false;
        } else {
            nextEseq = counter + 1;
            droppedMark = mark;
        }
        OutboxEntry e = new OutboxEntry(++lastId, kind, counter, clock.instant(), payload);
        memory.put(e.id(), e);
        return e;
    }

    private void onFailure(SQLException e) {
        if (isCorrupt(e)) {
            closeQuietly(db);
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
                closeQuietly(db);
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
            try (Statement st = db.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, kind, counter, created_ms, payload FROM frame")) {
                while (rs.next()) {
                    OutboxEntry e = entry(rs);
                    memory.put(e.id(), e);
                    lastId = Math.max(lastId, e.id());
                }
            } catch (SQLException e) {
                Logger.warn("outbox degraded and its frames are unreadable for now ({}); they are sent after "
                        + "recovery", oneLine(e));
            }
        }
        closeQuietly(db);
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
            c.setAutoCommit(false);
            try (PreparedStatement del = c.prepareStatement("DELETE FROM frame WHERE id = ?");
                    PreparedStatement ins = c.prepareStatement("INSERT OR IGNORE INTO frame(id, kind, counter, "
                            + "created_ms, payload) VALUES (?, ?, ?, ?, ?)")) {
                for (long id : removedWhileDegraded) {
                    del.setLong(1, id);
                    del.addBatch();
                }
                del.executeBatch();
                for (OutboxEntry e : memory.values()) {
                    ins.setLong(1, e.id());
                    ins.setInt(2, e.kind().code);
                    ins.setLong(3, e.counter());
                    ins.setLong(4, e.createdAt().toEpochMilli());
                    ins.setBytes(5, e.payload());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
            int count = count(c);
            while (count > options.capacityFrames()) {
                dropOldest(c);
                count--;
                droppedTotal++;
                droppedMark = true;
            }
            setCounter(c, "seq", nextSeq);
            setCounter(c, "eseq", nextEseq);
            setCounter(c, "clip", nextClipId);
            setCounter(c, "dropped", droppedMark ? 1 : 0);
            c.commit();
            c.setAutoCommit(true);
            Logger.info("outbox back on disk: {} frames written back from memory", memory.size());
            db = c;
            generation++;
            memory.clear();
            removedWhileDegraded.clear();
            fault = null;
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // closing discards the transaction anyway
                }
            }
            closeQuietly(c);
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
        long id = Math.max(1, nextClipId);
        if (db == null || id > MAX_COUNTER) {
            return 0;
        }
        if (id >= reservedClip && !writeReserve(reservedSeq, reservedEseq, id + RESERVE_BLOCK)) {
            return 0;
        }
        nextClipId = id + 1;
        return id;
    }

    /**
     * Indexes a clip whose file is already in place, and advances the persistent clip counter past its id, in one
     * transaction. Returns false when the store is degraded or the write failed (the failure is handled as for
     * frames: the store may degrade or move a corrupt database aside); the caller then deletes the file.
     */
    public synchronized boolean insertClip(VoiceClipEntry c) {
        checkOpen();
        if (db == null) {
            return false;
        }
        try {
            db.setAutoCommit(false);
            try {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO voice_clip(clip_id, t0_ms, class, "
                        + "conf_pct, codec, sample_rate, duration_ms, bytes, parts, parts_acked, file, created_ms) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, c.clipId());
                    ps.setLong(2, c.t0Ms());
                    ps.setInt(3, c.vocalClass());
                    ps.setInt(4, c.confPct());
                    ps.setInt(5, c.codec().code());
                    ps.setInt(6, c.sampleRate());
                    ps.setInt(7, c.durationMs());
                    ps.setLong(8, c.bytes());
                    ps.setInt(9, c.parts());
                    ps.setInt(10, c.partsAcked());
                    ps.setString(11, c.file());
                    ps.setLong(12, c.createdAt().toEpochMilli());
                    ps.executeUpdate();
                }
                nextClipId = Math.max(nextClipId, c.clipId() + 1);
                setCounter(db, "clip", nextClipId);
                db.commit();
                return true;
            } catch (SQLException e) {
                try {
                    db.rollback();
                } catch (SQLException ignored) {
                    // closing discards the transaction anyway
                }
                throw e;
            } finally {
                try {
                    db.setAutoCommit(true);
                } catch (SQLException e) {
                    Logger.debug("outbox autocommit reset failed: {}", oneLine(e));
                }
            }
        } catch (SQLException e) {
            onFailure(e);
            return false;
        }
    }

    /** Up to {@code limit} indexed clips, oldest (lowest id) first; empty while the store is degraded. */
    public synchronized java.util.Optional<List<VoiceClipEntry>> clips(int limit) {
        checkOpen();
        maybeRecover();
        if (db == null) {
            return java.util.Optional.empty();
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT clip_id, t0_ms, class, conf_pct, codec, sample_rate, "
                + "duration_ms, bytes, parts, parts_acked, file, created_ms FROM voice_clip ORDER BY clip_id LIMIT ?")) {
            ps.setInt(1, limit);
            List<VoiceClipEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VoiceClipEntry(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4),
                            com.pettysync.contract.voice.VoiceCodec.ofCode(rs.getInt(5), "codec"), rs.getInt(6),
                            rs.getInt(7), rs.getLong(8), rs.getInt(9), rs.getInt(10), rs.getString(11),
                            Instant.ofEpochMilli(rs.getLong(12))));
                }
            }
            return java.util.Optional.of(out);
        } catch (SQLException e) {
            onFailure(e);
            return java.util.Optional.empty();
        }
    }

    /** Records that parts {@code 0 … partsAcked-1} of a clip were acknowledged; false if not written. */
    public synchronized boolean setClipPartsAcked(long clipId, int partsAcked) {
        return updateClip("UPDATE voice_clip SET parts_acked = max(parts_acked, ?) WHERE clip_id = ?", partsAcked,
                clipId);
    }

    /** Removes a clip from the index (idempotent); false if not written. */
    public synchronized boolean deleteClip(long clipId) {
        return updateClip("DELETE FROM voice_clip WHERE clip_id = ?", clipId);
    }

    private boolean updateClip(String sql, long... args) {
        checkOpen();
        if (db == null) {
            return false;
        }
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setLong(i + 1, args[i]);
            }
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            onFailure(e);
            return false;
        }
    }

    // ---------------------------------------------------------------- corruption

    static boolean isCorrupt(SQLException e) {
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xFF;
            return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
        }
        return false;
    }

    private boolean moveAside(SQLException cause) {
        Path target = dir.resolve(DB_FILE + ".corrupt-" + clock.millis());
        try {
            Files.move(dbFile, target, StandardCopyOption.REPLACE_EXISTING);
            for (String suffix : List.of("-wal", "-shm")) {
                Path side = dir.resolve(DB_FILE + suffix);
                if (Files.exists(side)) {
                    Files.move(side, dir.resolve(target.getFileName() + suffix), StandardCopyOption.REPLACE_EXISTING);
                }
            }
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

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                Logger.debug("outbox close: {}", oneLine(e));
            }
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
