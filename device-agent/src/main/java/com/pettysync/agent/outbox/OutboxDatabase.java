package com.pettysync.agent.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.tinylog.Logger;

/**
 * The SQL of {@code outbox.db}'s {@code frame} and {@code counter} tables (schema drawn in {@link OutboxStore}'s
 * class comment): opening the file in WAL mode with {@code synchronous=FULL}, and each statement the store runs.
 *
 * <p>Guarantee: nothing here commits on its own except single statements in auto-commit mode; the store decides the
 * transactions ({@link #inTransaction}), so a frame, its counter and the dropped mark commit together. Every
 * failure is an {@link SQLException} for the store to classify ({@link #isCorrupt}); {@link #open} reports a failed
 * {@code PRAGMA quick_check} as {@code SQLITE_CORRUPT} and a file that cannot use WAL as {@code SQLITE_CANTOPEN}.
 *
 * <p>Stateless; called under {@link OutboxStore}'s lock with its connection.
 */
final class OutboxDatabase {
    /** Names in the {@code counter} table. */
    static final String SEQ = "seq";
    static final String ESEQ = "eseq";
    static final String CLIP = "clip";
    static final String DROPPED = "dropped";

    private static final String FRAME_COLUMNS = "SELECT id, kind, counter, created_ms, payload FROM frame";
    private static final String DELETE_FRAME = "DELETE FROM frame WHERE id = ?";

    private OutboxDatabase() {
    }

    /** A unit of work inside {@link #inTransaction}. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction on {@code c} and commits it; rolls back when it throws (anything) and
     * rethrows. Auto-commit is on again afterwards.
     */
    static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        boolean committed = false;
        try {
            T result = work.run();
            c.commit();
            committed = true;
            return result;
        } finally {
            if (!committed) {
                try {
                    c.rollback();
                } catch (SQLException e) {
                    Logger.debug("outbox rollback failed: {}", OutboxStore.oneLine(e));
                }
            }
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                Logger.debug("outbox autocommit reset failed: {}", OutboxStore.oneLine(e));
            }
        }
    }

    /**
     * Opens (creating when missing) the database in {@code dbFile}: {@code quick_check}, WAL, {@code synchronous=FULL},
     * the optional page quota, and the schema (with {@link VoiceClipIndex}'s table). The connection is closed when
     * this throws.
     */
    static Connection open(Path dbFile, long maxPageCount) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
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
            if (maxPageCount > 0) {
                st.execute("PRAGMA max_page_count = " + maxPageCount);
            }
            st.execute("CREATE TABLE IF NOT EXISTS frame (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                    + "kind INTEGER NOT NULL, counter INTEGER NOT NULL, created_ms INTEGER NOT NULL, "
                    + "payload BLOB NOT NULL)");
            st.execute("CREATE INDEX IF NOT EXISTS frame_kind ON frame(kind, id)");
            st.execute("CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            VoiceClipIndex.createTable(st);
            st.execute("PRAGMA user_version = 1");
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** {@code SQLITE_CORRUPT} or {@code SQLITE_NOTADB}: the file is to be moved aside. */
    static boolean isCorrupt(SQLException e) {
        if (e instanceof SQLiteException se) {
            int primary = se.getResultCode().code & 0xFF;
            return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
        }
        return false;
    }

    /** Checkpoints the WAL into the database file before the connection is closed. */
    static void checkpoint(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    /** Moves the database file {@code dbFile}, with its {@code -wal} and {@code -shm} when present, to {@code target}. */
    static void moveFiles(Path dbFile, Path target) throws IOException {
        Files.move(dbFile, target, StandardCopyOption.REPLACE_EXISTING);
        for (String suffix : List.of("-wal", "-shm")) {
            Path side = dbFile.resolveSibling(dbFile.getFileName() + suffix);
            if (Files.exists(side)) {
                Files.move(side, target.resolveSibling(target.getFileName() + suffix),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                Logger.debug("outbox close: {}", OutboxStore.oneLine(e));
            }
        }
    }

    // ---------------------------------------------------------------- frame table

    /** Inserts a frame and returns its new id (AUTOINCREMENT: never reused). */
    static long insertFrame(Connection c, FrameKind kind, long counter, Instant createdAt, byte[] payload)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO frame(kind, counter, created_ms, payload) VALUES (?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setInt(1, kind.code);
            ps.setLong(2, counter);
            ps.setLong(3, createdAt.toEpochMilli());
            ps.setBytes(4, payload);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Inserts frames with their ids as they are (frames made in memory); an id already present is left alone. */
    static void insertFramesKeepingIds(Connection c, Collection<OutboxEntry> frames) throws SQLException {
        try (PreparedStatement ins = c.prepareStatement("INSERT OR IGNORE INTO frame(id, kind, counter, created_ms, "
                + "payload) VALUES (?, ?, ?, ?, ?)")) {
            for (OutboxEntry e : frames) {
                ins.setLong(1, e.id());
                ins.setInt(2, e.kind().code);
                ins.setLong(3, e.counter());
                ins.setLong(4, e.createdAt().toEpochMilli());
                ins.setBytes(5, e.payload());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** Up to {@code limit} frames with {@code id > afterId}, of {@code kind} unless it is null, oldest first. */
    static List<OutboxEntry> pendingAfter(Connection c, long afterId, int limit, FrameKind kind) throws SQLException {
        String where = kind == null ? " WHERE id > ?" : " WHERE kind = ? AND id > ?";
        try (PreparedStatement ps = c.prepareStatement(FRAME_COLUMNS + where + " ORDER BY id LIMIT ?")) {
            int i = 1;
            if (kind != null) {
                ps.setInt(i++, kind.code);
            }
            ps.setLong(i++, afterId);
            ps.setInt(i, limit);
            List<OutboxEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        }
    }

    /** Hands every frame to {@code sink} (in no particular order); those read before a failure stay handed. */
    static void readAllFrames(Connection c, Consumer<OutboxEntry> sink) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FRAME_COLUMNS)) {
            while (rs.next()) {
                sink.accept(entry(rs));
            }
        }
    }

    static void deleteFrame(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE_FRAME)) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Deletes the frames of {@code ids} in one batch (inside the caller's transaction). */
    static void deleteFrames(Connection c, Collection<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DELETE_FRAME)) {
            for (long id : ids) {
                ps.setLong(1, id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Deletes the oldest frame in drop order: telemetry first, events only when no telemetry is left. */
    static void dropOldest(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            int n = st.executeUpdate("DELETE FROM frame WHERE id = (SELECT id FROM frame ORDER BY kind, id LIMIT 1)");
            if (n != 1) {
                throw new IllegalStateException("outbox full but nothing to drop");
            }
        }
    }

    static int count(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM frame")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The id of the newest frame, 0 when there is none. */
    static long newestId(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT coalesce(max(id), 0) FROM frame")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The highest frame id this database ever gave out (also of frames deleted since). */
    static long highestIdEverUsed(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT max(id), (SELECT seq FROM sqlite_sequence WHERE name='frame') "
                        + "FROM frame")) {
            rs.next();
            return Math.max(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            // sqlite_sequence exists only after the first insert
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(id) FROM frame")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(rs.getLong(1), FrameKind.of(rs.getInt(2)), rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getBytes(5));
    }

    // ---------------------------------------------------------------- counter table

    /** Every row of the {@code counter} table by name. */
    static Map<String, Long> readCounters(Connection c) throws SQLException {
        Map<String, Long> values = new HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, value FROM counter")) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getLong(2));
            }
        }
        return values;
    }

    static void setCounter(Connection c, String name, long value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO counter(name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value")) {
            ps.setString(1, name);
            ps.setLong(2, value);
            ps.executeUpdate();
        }
    }
}
