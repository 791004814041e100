package com.pettysync.simulator.fleet;

import com.pettysync.agent.outbox.FrameBuilder;
import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.Outbox;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxHealth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

/**
 * Every virtual collar's outbox of one fleet process in <em>one</em> SQLite database: one connection and one page
 * cache for the shard instead of a connection, a page cache and three files per collar (which made a 3,500-collar
 * shard hold ≈ 1.3 GB). Each collar sees its own {@link Outbox} ({@link #open}) with the agent's semantics, so the
 * agent's own {@code WindowAggregator} and {@code Uplink} run over it unchanged.
 *
 * <h2>Guarantee</h2>
 * <ul>
 * <li><b>Commit before offer:</b> {@link Outbox#append} allocates the collar's counter, builds the frame, inserts it
 * and advances the counter in one transaction, committed before it returns (WAL mode, {@code synchronous=NORMAL}).
 * A frame is removed only by {@link Outbox#acknowledge} / {@link Outbox#acknowledgeAll} (after its PUBACK; many
 * PUBACKs in one commit) or the capacity drop policy, which is the agent's (oldest telemetry first, the
 * {@code outbox_dropped} mark on the next telemetry frame).</li>
 * <li><b>Per-collar isolation:</b> rows and counters are keyed by the collar; a collar never sees, acknowledges or
 * drops another's frames, and its {@code seq}/{@code eseq} are its own.</li>
 * <li><b>Restart re-offers:</b> {@link #open} of a thing whose outbox was closed (a simulated kill) or left by a
 * killed process reads its pending frames and counters back from the database: every unacknowledged frame is
 * offered again, and no counter value is handed out twice.</li>
 * </ul>
 *
 * <h2>Failure model</h2>
 * <ul>
 * <li><b>Killed collar</b> (fault {@code kill}): its outbox is closed without a checkpoint and reopened — nothing
 * committed is lost, exactly as with the agent's own store.</li>
 * <li><b>Killed shard process</b> ({@code kill -9}, the JVM dies): every committed transaction survives (the WAL
 * writes are in the kernel's page cache); reopening the file with the same things re-offers every pending frame.</li>
 * <li><b>Not kept:</b> an operating-system crash or power cut may lose the last transactions
 * ({@code synchronous=NORMAL} does not fsync each commit; the collar's own {@code OutboxStore} does). A storage
 * error (full disk, corrupt file) is not degraded to memory as the agent does: it is thrown, and the simulation
 * fails loudly.</li>
 * </ul>
 *
 * <h2>File</h2>
 * <pre>
 * SQLite 3, WAL mode, user_version 1
 *   collar(collar INTEGER PRIMARY KEY,            -- the collar's key inside this file
 *          thing TEXT NOT NULL UNIQUE,            -- its thing name
 *          seq INTEGER NOT NULL,                  -- next telemetry counter to hand out
 *          eseq INTEGER NOT NULL,                 -- next event counter to hand out
 *          dropped INTEGER NOT NULL)              -- 1 while the outbox_dropped mark is pending
 *   frame(id INTEGER PRIMARY KEY AUTOINCREMENT,   -- offer order, never reused (shared by the collars: each
 *                                                 -- collar's ids are strictly increasing)
 *         collar INTEGER NOT NULL,                -- collar.collar
 *         kind INTEGER NOT NULL,                  -- 0 telemetry, 1 event
 *         counter INTEGER NOT NULL,               -- seq or eseq inside the payload
 *         created_ms INTEGER NOT NULL,            -- commit time, Unix ms (simulated clock)
 *         payload BLOB NOT NULL)                  -- the frame, byte for byte as published
 *   INDEX frame_collar ON frame(collar)           -- a collar's frames in id order
 *   INDEX frame_collar_kind ON frame(collar, kind) -- the event lane; the drop order (telemetry first)
 * </pre>
 *
 * <p>Thread safety: all access goes through the one connection under this object's lock; a collar's
 * {@link Outbox} may be used from any thread.
 */
public final class ShardOutboxStore implements AutoCloseable {
    /** SQLite page cache of the one connection, KiB (the shard's whole outbox cache, not per collar). */
    static final int CACHE_KIB = 8 * 1024;

    private final Connection db;
    private final int capacityFrames;
    private final Clock clock;
    private boolean closed;

    private ShardOutboxStore(Connection db, int capacityFrames, Clock clock) {
        this.db = db;
        this.capacityFrames = capacityFrames;
        this.clock = clock;
    }

    /**
     * Opens (or creates) the shard's outbox database.
     *
     * @param capacityFrames frames each collar keeps before the drop policy starts
     * @throws IOException when the file cannot be created or opened, or is not an outbox database
     */
    public static ShardOutboxStore open(Path file, int capacityFrames, Clock clock) throws IOException {
        if (capacityFrames < 1) {
            throw new IllegalArgumentException("capacityFrames must be >= 1");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            return new ShardOutboxStore(connect(file), capacityFrames, clock);
        } catch (SQLException e) {
            throw new IOException(file + ": cannot open the shard outbox database: " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Properties p = new Properties();
        p.setProperty("journal_mode", "WAL");
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("busy_timeout", "5000");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, p);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA cache_size = -" + CACHE_KIB);
            st.execute("CREATE TABLE IF NOT EXISTS collar(collar INTEGER PRIMARY KEY, thing TEXT NOT NULL UNIQUE,"
                    + " seq INTEGER NOT NULL, eseq INTEGER NOT NULL, dropped INTEGER NOT NULL)");
            st.execute("CREATE TABLE IF NOT EXISTS frame(id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " collar INTEGER NOT NULL, kind INTEGER NOT NULL, counter INTEGER NOT NULL,"
                    + " created_ms INTEGER NOT NULL, payload BLOB NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS frame_collar ON frame(collar)");
            st.execute("CREATE INDEX IF NOT EXISTS frame_collar_kind ON frame(collar, kind)");
            st.execute("PRAGMA user_version = 1");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * The outbox of {@code thing} as the agent finds it at boot: its pending frames and counters as committed
     * (a new thing starts empty with {@code seq} and {@code eseq} at 0).
     *
     * @throws IllegalStateException on a storage error (see the failure model)
     */
    public synchronized Outbox open(String thing) {
        checkOpen();
        try {
            try (PreparedStatement ps = db.prepareStatement(
                    "INSERT OR IGNORE INTO collar(thing, seq, eseq, dropped) VALUES (?, 0, 0, 0)")) {
                ps.setString(1, thing);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT collar, seq, eseq, dropped, (SELECT count(*) FROM frame f WHERE f.collar = c.collar)"
                            + " FROM collar c WHERE thing = ?")) {
                ps.setString(1, thing);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new CollarOutbox(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getInt(4) != 0,
                            rs.getInt(5));
                }
            }
        } catch (SQLException e) {
            throw failure("open the outbox of " + thing, e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Statement st = db.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            org.tinylog.Logger.warn("shard outbox checkpoint on close failed: {}", e.getMessage());
        }
        try {
            db.close();
        } catch (SQLException e) {
            org.tinylog.Logger.warn("shard outbox close failed: {}", e.getMessage());
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("shard outbox store is closed");
        }
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("shard outbox: cannot " + what + ": " + e.getMessage(), e);
    }

    private static int code(FrameKind kind) {
        return kind == FrameKind.TELEMETRY ? 0 : 1;
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong(1), rs.getInt(2) == 0 ? FrameKind.TELEMETRY : FrameKind.EVENT,
                rs.getLong(3), Instant.ofEpochMilli(rs.getLong(4)), rs.getBytes(5));
    }

    /** One collar's view: its counters and frame count mirrored in memory (a few fields, no cache of frames). */
    private final class CollarOutbox implements Outbox {
        private final long collar;
        private long nextSeq;
        private long nextEseq;
        private boolean droppedMark;
        private int count;
        private long droppedTotal;
        private boolean collarClosed;

        CollarOutbox(long collar, long nextSeq, long nextEseq, boolean droppedMark, int count) {
            this.collar = collar;
            this.nextSeq = nextSeq;
            this.nextEseq = nextEseq;
            this.droppedMark = droppedMark;
            this.count = count;
        }

        @Override
        public OutboxEntry append(FrameKind kind, FrameBuilder builder) {
            synchronized (ShardOutboxStore.this) {
                checkCollarOpen();
                long counter = kind == FrameKind.TELEMETRY ? nextSeq : nextEseq;
                boolean committed = false;
                try {
                    db.setAutoCommit(false);
                    try {
                        int n = count;
                        boolean mark = droppedMark;
                        int dropped = 0;
                        while (n >= capacityFrames) {
                            dropOldest();
                            n--;
                            dropped++;
                            mark = true;
                        }
                        byte[] payload = builder.build(counter, new FrameBuilder.Context(n, mark));
                        Instant now = clock.instant();
                        long id;
                        try (PreparedStatement ps = db.prepareStatement("INSERT INTO frame(collar, kind, counter,"
                                + " created_ms, payload) VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                            ps.setLong(1, collar);
                            ps.setInt(2, code(kind));
                            ps.setLong(3, counter);
                            ps.setLong(4, now.toEpochMilli());
                            ps.setBytes(5, payload);
                            ps.executeUpdate();
                            try (ResultSet keys = ps.getGeneratedKeys()) {
                                keys.next();
                                id = keys.getLong(1);
                            }
                        }
                        boolean markAfter = kind != FrameKind.TELEMETRY && mark;
                        String counterColumn = kind == FrameKind.TELEMETRY ? "seq" : "eseq";
                        try (PreparedStatement ps = db.prepareStatement("UPDATE collar SET " + counterColumn
                                + " = ?, dropped = ? WHERE collar = ?")) {
                            ps.setLong(1, counter + 1);
                            ps.setInt(2, markAfter ? 1 : 0);
                            ps.setLong(3, collar);
                            ps.executeUpdate();
                        }
                        db.commit();
                        committed = true;
                        if (kind == FrameKind.TELEMETRY) {
                            nextSeq = counter + 1;
                        } else {
                            nextEseq = counter + 1;
                        }
                        droppedMark = markAfter;
                        droppedTotal += dropped;
                        count = n + 1;
                        return new OutboxEntry(id, kind, counter, now, payload);
                    } finally {
                        if (!committed) {
                            db.rollback();
                        }
                        db.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    throw failure("append a frame", e);
                }
            }
        }

        private void dropOldest() throws SQLException {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM frame WHERE id = (SELECT id FROM frame"
                    + " WHERE collar = ? ORDER BY kind, id LIMIT 1)")) {
                ps.setLong(1, collar);
                if (ps.executeUpdate() != 1) {
                    throw new IllegalStateException("outbox full but nothing to drop");
                }
            }
        }

        @Override
        public List<OutboxEntry> pendingAfter(long afterId, int limit) {
            return pending("SELECT id, kind, counter, created_ms, payload FROM frame WHERE collar = ? AND id > ?"
                    + " ORDER BY id LIMIT ?", afterId, limit, -1);
        }

        @Override
        public List<OutboxEntry> pendingAfter(long afterId, int limit, FrameKind kind) {
            return pending("SELECT id, kind, counter, created_ms, payload FROM frame WHERE collar = ? AND id > ?"
                    + " AND kind = ? ORDER BY id LIMIT ?", afterId, limit, code(kind));
        }

        private List<OutboxEntry> pending(String sql, long afterId, int limit, int kind) {
            synchronized (ShardOutboxStore.this) {
                checkCollarOpen();
                if (count == 0) {
                    return List.of();
                }
                try (PreparedStatement ps = db.prepareStatement(sql)) {
                    int i = 1;
                    ps.setLong(i++, collar);
                    ps.setLong(i++, afterId);
                    if (kind >= 0) {
                        ps.setInt(i++, kind);
                    }
                    ps.setInt(i, limit);
                    List<OutboxEntry> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(entry(rs));
                        }
                    }
                    return out;
                } catch (SQLException e) {
                    throw failure("read pending frames", e);
                }
            }
        }

        @Override
        public void acknowledge(long id) {
            acknowledgeAll(List.of(id));
        }

        @Override
        public void acknowledgeAll(Collection<Long> ids) {
            synchronized (ShardOutboxStore.this) {
                checkCollarOpen();
                if (ids.isEmpty()) {
                    return;
                }
                boolean committed = false;
                try {
                    db.setAutoCommit(false);
                    try (PreparedStatement ps = db.prepareStatement("DELETE FROM frame WHERE id = ? AND collar = ?")) {
                        int removed = 0;
                        for (long id : ids) {
                            ps.setLong(1, id);
                            ps.setLong(2, collar);
                            removed += ps.executeUpdate();
                        }
                        db.commit();
                        committed = true;
                        count -= removed;
                    } finally {
                        if (!committed) {
                            db.rollback();
                        }
                        db.setAutoCommit(true);
                    }
                } catch (SQLException e) {
                    throw failure("acknowledge frames", e);
                }
            }
        }

        @Override
        public long newestId() {
            synchronized (ShardOutboxStore.this) {
                checkCollarOpen();
                if (count == 0) {
                    return 0;
                }
                try (PreparedStatement ps = db.prepareStatement(
                        "SELECT coalesce(max(id), 0) FROM frame WHERE collar = ?")) {
                    ps.setLong(1, collar);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                } catch (SQLException e) {
                    throw failure("read the newest frame id", e);
                }
            }
        }

        @Override
        public int size() {
            synchronized (ShardOutboxStore.this) {
                return count;
            }
        }

        @Override
        public OutboxHealth health() {
            synchronized (ShardOutboxStore.this) {
                return new OutboxHealth(true, count, droppedTotal, null, null);
            }
        }

        @Override
        public long generation() {
            return 0; // one database that never goes away: lower ids never appear behind a reader's cursor
        }

        /** A killed agent's close: the rows stay as committed; {@link #open} of the thing reads them back. */
        @Override
        public void close() {
            synchronized (ShardOutboxStore.this) {
                collarClosed = true;
            }
        }

        private void checkCollarOpen() {
            checkOpen();
            if (collarClosed) {
                throw new IllegalStateException("this collar's outbox is closed (open it again after a restart)");
            }
        }
    }
}
