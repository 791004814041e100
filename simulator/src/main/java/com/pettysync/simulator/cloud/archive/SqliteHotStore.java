package com.pettysync.simulator.cloud.archive;

import com.pettysync.simulator.cloud.ingest.IngestSink;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link HotStore} over the ingest sink's SQLite file ({@code frames.db}, schema in {@link IngestSink}), on a
 * connection of its own: safe beside a running {@code pettysync cloud} (WAL; a busy writer is waited for up to 5 s).
 * Every query failure is an {@link IllegalStateException} naming the store. The archive's own bookkeeping lives beside
 * the sink's tables, written in the same transaction as each delete, so a collar whose days were all archived is still
 * known to the report:
 * <pre>
 * archived_days(thing TEXT, day INTEGER (days since 1970-01-01), archived_at INTEGER (Unix ms))  PK (thing, day)
 * </pre>
 */
public final class SqliteHotStore implements HotStore {
    private static final long DAY_S = 86_400L;
    private final Connection db;
    private final Path file;

    private SqliteHotStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens {@code file}, which must exist (the sink creates it; its tables are brought up to date here). */
    public static SqliteHotStore open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no frame store at " + file + " (the local cloud's --dir holds frames.db)");
        }
        IngestSink.open(file, Clock.systemUTC()).close(); // the sink owns the schema: creates any newer table
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("CREATE TABLE IF NOT EXISTS archived_days(thing TEXT NOT NULL, day INTEGER NOT NULL,"
                        + " archived_at INTEGER, PRIMARY KEY(thing, day)) WITHOUT ROWID");
            }
            return new SqliteHotStore(file, c);
        } catch (SQLException e) {
            throw new IOException("cannot open the frame store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<CollarDay> collarDaysBefore(LocalDate before) {
        long end = before.toEpochDay();
        String sql = "SELECT thing, d FROM (SELECT thing, t0 / 86400 AS d FROM telemetry WHERE t0 < ?1 * 86400"
                + " UNION SELECT thing, t / 86400 FROM events WHERE t < ?1 * 86400"
                + " UNION SELECT thing, t0_ms / 86400000 FROM clips WHERE t0_ms < ?1 * 86400000"
                + " UNION SELECT thing, t0 / 86400000 FROM raw WHERE t0 < ?1 * 86400000) ORDER BY d, thing";
        List<CollarDay> out = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setLong(1, end);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new CollarDay(r.getString(1), LocalDate.ofEpochDay(r.getLong(2))));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    @Override
    public synchronized CollarDayRows load(CollarDay key) {
        long start = key.day().toEpochDay() * DAY_S;
        List<TelemetryRow> telemetry = new ArrayList<>();
        List<EventRow> events = new ArrayList<>();
        List<ClipRow> clips = new ArrayList<>();
        List<RawRow> raw = new ArrayList<>();
        try {
            try (PreparedStatement q = db.prepareStatement("SELECT seq, t0, frame, received_at, json FROM telemetry"
                    + " WHERE thing = ? AND t0 >= ? AND t0 < ? ORDER BY seq")) {
                bind(q, key.thing(), start, start + DAY_S);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        byte[] frame = r.getBytes(3);
                        telemetry.add(new TelemetryRow(r.getLong(1), r.getLong(2), durOf(frame), r.getLong(4), frame,
                                r.getString(5)));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT eseq, t, type, received_at, json FROM events"
                    + " WHERE thing = ? AND t >= ? AND t < ? ORDER BY eseq")) {
                bind(q, key.thing(), start, start + DAY_S);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        events.add(new EventRow(r.getLong(1), r.getLong(2), r.getInt(3), r.getLong(4), r.getString(5)));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT clip_id, t0_ms, class, conf_pct, duration_ms,"
                    + " joined_at, wav FROM clips WHERE thing = ? AND t0_ms >= ? AND t0_ms < ? ORDER BY clip_id")) {
                bind(q, key.thing(), start * 1000, (start + DAY_S) * 1000);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        clips.add(new ClipRow(r.getLong(1), r.getLong(2), r.getInt(3), r.getInt(4), r.getInt(5),
                                r.getLong(6), r.getBytes(7)));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT capture_id, chunk, t0, received_at, frame FROM raw"
                    + " WHERE thing = ? AND t0 >= ? AND t0 < ? ORDER BY capture_id, chunk")) {
                bind(q, key.thing(), start * 1000, (start + DAY_S) * 1000);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        raw.add(new RawRow(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getBytes(5)));
                    }
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return new CollarDayRows(key, telemetry, events, clips, raw);
    }

    private static int durOf(byte[] frame) {
        return com.pettysync.contract.telemetry.TelemetryFrameCodec.decode(frame).dur();
    }

    @Override
    public synchronized void delete(CollarDayRows rows) {
        String thing = rows.key().thing();
        try {
            db.setAutoCommit(false);
            try (PreparedStatement t = db.prepareStatement("DELETE FROM telemetry WHERE thing = ? AND seq = ?");
                    PreparedStatement e = db.prepareStatement("DELETE FROM events WHERE thing = ? AND eseq = ?");
                    PreparedStatement c = db.prepareStatement("DELETE FROM clips WHERE thing = ? AND clip_id = ?");
                    PreparedStatement v = db.prepareStatement("DELETE FROM voice WHERE thing = ? AND clip_id = ?");
                    PreparedStatement w = db.prepareStatement(
                            "DELETE FROM raw WHERE thing = ? AND capture_id = ? AND chunk = ?");
                    PreparedStatement a = db.prepareStatement("INSERT OR REPLACE INTO archived_days(thing, day,"
                            + " archived_at) VALUES (?, ?, ?)")) {
                for (TelemetryRow r : rows.telemetry()) {
                    t.setString(1, thing);
                    t.setLong(2, r.seq());
                    t.addBatch();
                }
                for (EventRow r : rows.events()) {
                    e.setString(1, thing);
                    e.setLong(2, r.eseq());
                    e.addBatch();
                }
                for (ClipRow r : rows.clips()) {
                    for (PreparedStatement s : List.of(c, v)) {
                        s.setString(1, thing);
                        s.setLong(2, r.clipId());
                        s.addBatch();
                    }
                }
                for (RawRow r : rows.raw()) {
                    w.setString(1, thing);
                    w.setLong(2, r.captureId());
                    w.setLong(3, r.chunk());
                    w.addBatch();
                }
                w.executeBatch();
                a.setString(1, thing);
                a.setLong(2, rows.key().day().toEpochDay());
                a.setLong(3, System.currentTimeMillis());
                a.executeUpdate();
                t.executeBatch();
                e.executeBatch();
                c.executeBatch();
                v.executeBatch();
                db.commit();
            } catch (SQLException ex) {
                db.rollback();
                throw ex;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException ex) {
            throw failed(ex);
        }
    }

    @Override
    public synchronized void forEachTelemetry(LocalDate day, TelemetryVisitor visitor) {
        long start = day.toEpochDay() * DAY_S;
        try (PreparedStatement q = db.prepareStatement("SELECT thing, seq, t0, received_at, frame FROM telemetry"
                + " WHERE t0 >= ? AND t0 < ? ORDER BY thing, seq")) {
            q.setLong(1, start);
            q.setLong(2, start + DAY_S);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    byte[] frame = r.getBytes(5);
                    visitor.frame(r.getString(1), r.getLong(2), r.getLong(3), -1, r.getLong(4), frame);
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public synchronized Map<String, Map<Integer, Long>> eventCounts(LocalDate day) {
        long start = day.toEpochDay() * DAY_S;
        Map<String, Map<Integer, Long>> out = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement("SELECT thing, type, COUNT(*) FROM events WHERE t >= ? AND t < ?"
                + " GROUP BY thing, type")) {
            q.setLong(1, start);
            q.setLong(2, start + DAY_S);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new HashMap<>()).put(r.getInt(2), r.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    @Override
    public synchronized Map<String, Long> clipCounts(LocalDate day) {
        long start = day.toEpochDay() * DAY_S * 1000;
        return counts("SELECT thing, COUNT(*) FROM clips WHERE t0_ms >= ? AND t0_ms < ? GROUP BY thing", start,
                start + DAY_S * 1000);
    }

    @Override
    public synchronized Map<String, Long> telemetryDuplicates(LocalDate day) {
        return counts("SELECT thing, count FROM duplicates_daily WHERE day = ? AND day = ? AND stream = 'TELEMETRY'",
                day.toEpochDay(), day.toEpochDay());
    }

    private Map<String, Long> counts(String sql, long a, long b) {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setLong(1, a);
            q.setLong(2, b);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    @Override
    public synchronized Set<String> things() {
        Set<String> out = new TreeSet<>();
        try (PreparedStatement q = db.prepareStatement("SELECT DISTINCT thing FROM telemetry UNION"
                + " SELECT thing FROM events UNION SELECT thing FROM duplicates UNION SELECT thing FROM archived_days");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return out;
    }

    private static void bind(PreparedStatement q, String thing, long from, long to) throws SQLException {
        q.setString(1, thing);
        q.setLong(2, from);
        q.setLong(3, to);
    }

    private IllegalStateException failed(SQLException e) {
        return new IllegalStateException("frame store " + file + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing a read connection: nothing to lose
        }
    }
}
