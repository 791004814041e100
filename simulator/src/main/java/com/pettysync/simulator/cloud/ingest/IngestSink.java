package com.pettysync.simulator.cloud.ingest;

import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.raw.RawChunk;
import com.pettysync.contract.raw.RawChunkCodec;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.contract.voice.VoiceClipPart;
import com.pettysync.contract.voice.VoiceClipPartCodec;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * "Dumper #1", the cloud-side ingest sink: validates every telemetry, event, voice and raw-capture payload with
 * {@code cloud-contract}, drops duplicates, stores decoded frames in SQLite and counts what was invalid, duplicate or
 * missing per collar.
 *
 * <p>Guarantee: when {@link #accept} returns a verdict, or {@link #acceptAll} returns its list of verdicts, what it
 * decided is committed to the database — a {@link Verdict#STORED} frame, a {@link Verdict#DUPLICATE}'s count, an
 * {@link Verdict#INVALID} payload's reject row. Each key — (thing, seq) for telemetry, (thing, eseq) for events,
 * (thing, clip_id, part) for voice, (thing, capture_id, chunk) for raw chunks — is stored at most once, so
 * at-least-once delivery from the collars becomes exactly-once in the store. Invalid payloads never reach the frame
 * tables; they are counted and their reason kept in {@code rejects}.
 *
 * <p>Failure model: a database failure throws {@link IllegalStateException} and returns no verdict; for
 * {@link #acceptAll} the whole batch is rolled back (none of it stored, however far it got), so a caller that
 * acknowledges only returned verdicts acknowledges nothing that is not in the store, and the senders' re-sends are
 * stored once. No payload makes either method throw. Durability is SQLite's WAL with {@code synchronous=NORMAL}: a
 * commit survives a killed process; a power cut may lose the last commits, which the broker has already acknowledged
 * — the caveat of synchronous=NORMAL, accepted for a local stand-in. The live counters ({@link #storedSinceOpen()})
 * count committed verdicts only, except inside {@link #atomically}, which does not roll them back.
 *
 * <pre>
 * telemetry(thing TEXT, seq INTEGER, t0 INTEGER, received_at INTEGER, frame BLOB, json TEXT)  PK (thing, seq)
 * events   (thing TEXT, eseq INTEGER, t INTEGER, type INTEGER, received_at INTEGER, frame BLOB, json TEXT)  PK (thing, eseq)
 * voice    (thing TEXT, clip_id INTEGER, part INTEGER, parts INTEGER, received_at INTEGER, frame BLOB)  PK (thing, clip_id, part)
 * raw      (thing TEXT, capture_id INTEGER, chunk INTEGER, sensor INTEGER, t0 INTEGER (Unix ms), rate_hz INTEGER,
 *           samples INTEGER, received_at INTEGER, frame BLOB)  PK (thing, capture_id, chunk)
 * rejects  (id INTEGER PK, thing TEXT, stream TEXT, received_at INTEGER, size INTEGER, path TEXT, rule TEXT)
 * duplicates(thing TEXT PK, count INTEGER)
 * duplicates_daily(thing TEXT, day INTEGER, stream TEXT, count INTEGER)  PK (thing, day, stream)
 * clips    (thing TEXT, clip_id INTEGER, t0_ms INTEGER, class INTEGER, conf_pct INTEGER, duration_ms INTEGER,
 *           joined_at INTEGER, wav BLOB)  PK (thing, clip_id)
 * </pre>
 * {@code received_at} is epoch milliseconds of the injected clock: the arrival time, so a frame recovered from a
 * collar's card days later ({@link #atomically} around a bundle import) shows as a late arrival in the archive's
 * delivery report. {@code duplicates_daily} counts dropped copies by the UTC day of the copy's own time ({@code day} =
 * days since 1970-01-01), so a day's report shows them. When the last part of a PCM clip arrives, its parts are joined
 * into one WAV ({@link ClipJoin}) in {@code clips} in the same call; the parts stay in {@code voice} (de-duplication
 * keys) until the archive moves the day. Thread-safe: one connection behind one lock; the broker reaches it through
 * {@link GroupCommit} (one writer thread, many frames per transaction), a bundle import through {@link #accept}.
 */
public final class IngestSink implements AutoCloseable {
    private final Connection db;
    private final Clock clock;
    private final Path file;
    private final PreparedStatement insertTelemetry;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertVoice;
    private final PreparedStatement insertRaw;
    private final PreparedStatement insertReject;
    private final PreparedStatement countDuplicate;
    private final PreparedStatement countDailyDuplicate;

    private IngestSink(Path file, Connection db, Clock clock) throws SQLException {
        this.file = file;
        this.db = db;
        this.clock = clock;
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA busy_timeout=5000"); // a fleet process may read the store of a cloud process
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("CREATE TABLE IF NOT EXISTS telemetry(thing TEXT NOT NULL, seq INTEGER NOT NULL, t0 INTEGER,"
                    + " received_at INTEGER, frame BLOB, json TEXT, PRIMARY KEY(thing, seq)) WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS events(thing TEXT NOT NULL, eseq INTEGER NOT NULL, t INTEGER,"
                    + " type INTEGER, received_at INTEGER, frame BLOB, json TEXT, PRIMARY KEY(thing, eseq))"
                    + " WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS voice(thing TEXT NOT NULL, clip_id INTEGER NOT NULL,"
                    + " part INTEGER NOT NULL, parts INTEGER, received_at INTEGER, frame BLOB,"
                    + " PRIMARY KEY(thing, clip_id, part))");
            s.execute("CREATE TABLE IF NOT EXISTS raw(thing TEXT NOT NULL, capture_id INTEGER NOT NULL,"
                    + " chunk INTEGER NOT NULL, sensor INTEGER, t0 INTEGER, rate_hz INTEGER, samples INTEGER,"
                    + " received_at INTEGER, frame BLOB, PRIMARY KEY(thing, capture_id, chunk))");
            s.execute("CREATE TABLE IF NOT EXISTS rejects(id INTEGER PRIMARY KEY, thing TEXT, stream TEXT,"
                    + " received_at INTEGER, size INTEGER, path TEXT, rule TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS duplicates(thing TEXT PRIMARY KEY, count INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS duplicates_daily(thing TEXT NOT NULL, day INTEGER NOT NULL,"
                    + " stream TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(thing, day, stream)) WITHOUT ROWID");
            s.execute("CREATE TABLE IF NOT EXISTS clips(thing TEXT NOT NULL, clip_id INTEGER NOT NULL,"
                    + " t0_ms INTEGER NOT NULL, class INTEGER, conf_pct INTEGER, duration_ms INTEGER,"
                    + " joined_at INTEGER, wav BLOB, PRIMARY KEY(thing, clip_id))");
        }
        insertTelemetry = db.prepareStatement(
                "INSERT OR IGNORE INTO telemetry(thing, seq, t0, received_at, frame, json) VALUES (?,?,?,?,?,?)");
        insertEvent = db.prepareStatement(
                "INSERT OR IGNORE INTO events(thing, eseq, t, type, received_at, frame, json) VALUES (?,?,?,?,?,?,?)");
        insertVoice = db.prepareStatement(
                "INSERT OR IGNORE INTO voice(thing, clip_id, part, parts, received_at, frame) VALUES (?,?,?,?,?,?)");
        insertRaw = db.prepareStatement("INSERT OR IGNORE INTO raw(thing, capture_id, chunk, sensor, t0, rate_hz,"
                + " samples, received_at, frame) VALUES (?,?,?,?,?,?,?,?,?)");
        insertReject = db.prepareStatement(
                "INSERT INTO rejects(thing, stream, received_at, size, path, rule) VALUES (?,?,?,?,?,?)");
        countDuplicate = db.prepareStatement("INSERT INTO duplicates(thing, count) VALUES (?, 1)"
                + " ON CONFLICT(thing) DO UPDATE SET count = count + 1");
        countDailyDuplicate = db.prepareStatement("INSERT INTO duplicates_daily(thing, day, stream, count)"
                + " VALUES (?, ?, ?, 1) ON CONFLICT(thing, day, stream) DO UPDATE SET count = count + 1");
    }

    /** Opens (creating if needed) the sink database {@code file}. */
    public static IngestSink open(Path file, Clock clock) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try {
            return new IngestSink(file, DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()), clock);
        } catch (SQLException e) {
            throw new IOException("cannot open the frame store " + file + ": " + e.getMessage(), e);
        }
    }

    private final java.util.concurrent.atomic.LongAdder storedSinceOpen = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder duplicatesSinceOpen =
            new java.util.concurrent.atomic.LongAdder();

    /** Frames (all streams) stored since this sink was opened; lock-free, for live progress. */
    public long storedSinceOpen() {
        return storedSinceOpen.sum();
    }

    /** Valid payloads dropped as duplicates since this sink was opened; lock-free, for live progress. */
    public long duplicatesSinceOpen() {
        return duplicatesSinceOpen.sum();
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private boolean replayArrivals;
    private long frameTimeMillis;

    /**
     * From now on, records arrivals on the fleet's own time instead of the clock: {@code received_at} is the latest
     * window end (t0 + dur) of any telemetry frame stored so far. For a simulated fleet that runs faster than real
     * time ({@code pettysync cloud --replay-arrivals}), so a frame that the fleet delivered on time is not counted
     * late by the delivery report while a backlog still is. Off by default: a real fleet is judged on the clock.
     */
    public synchronized void replayArrivals() {
        replayArrivals = true;
    }

    /**
     * Validates, de-duplicates and stores one payload that {@code thing} sent on {@code stream}, in its own
     * transaction (or in the one {@link #atomically} holds open).
     */
    public synchronized Verdict accept(String thing, Stream stream, byte[] payload) {
        try {
            Verdict v = decide(new Arrival(thing, stream, payload));
            count(v);
            return v;
        } catch (SQLException e) {
            throw new IllegalStateException("frame store write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Validates, de-duplicates and stores {@code arrivals} in one transaction (a group commit) and returns their
     * verdicts in the same order, each as {@link #accept} would have given it one by one in that order (a copy of a
     * key earlier in the batch is a {@link Verdict#DUPLICATE}). Returns only after the commit; on a database failure
     * the whole batch is rolled back and {@link IllegalStateException} thrown. Not inside {@link #atomically}.
     */
    public synchronized List<Verdict> acceptAll(List<Arrival> arrivals) {
        List<Verdict> verdicts = new ArrayList<>(arrivals.size());
        boolean committed = false;
        try {
            if (!db.getAutoCommit()) {
                throw new IllegalStateException("acceptAll cannot run inside atomically: it commits by itself");
            }
            db.setAutoCommit(false);
            for (Arrival a : arrivals) {
                verdicts.add(decide(a));
            }
            db.commit();
            committed = true;
        } catch (SQLException e) {
            throw new IllegalStateException("frame store group commit of " + arrivals.size() + " payloads failed: "
                    + e.getMessage(), e);
        } finally {
            endTransaction(committed);
        }
        verdicts.forEach(this::count);
        return verdicts;
    }

    /** The verdict for one payload, written (not committed) to the database. */
    private Verdict decide(Arrival a) throws SQLException {
        long now = replayArrivals ? frameTimeMillis : clock.millis();
        try {
            return switch (a.stream()) {
                case TELEMETRY -> storeTelemetry(a.thing(), a.payload(), now);
                case EVENTS -> storeEvent(a.thing(), a.payload(), now);
                case VOICE -> storeVoice(a.thing(), a.payload(), now);
                case RAW -> storeRaw(a.thing(), a.payload(), now);
            };
        } catch (ContractViolation v) {
            return reject(a.thing(), a.stream(), a.payload().length, v.path(), v.rule(), now);
        } catch (RuntimeException e) {
            // a codec must only throw ContractViolation; anything else is still the payload's fault, never ours
            return reject(a.thing(), a.stream(), a.payload().length, "frame", "undecodable: " + e, now);
        }
    }

    private void count(Verdict v) {
        switch (v) {
            case STORED -> storedSinceOpen.increment();
            case DUPLICATE -> duplicatesSinceOpen.increment();
            case INVALID -> {
            }
        }
    }

    /** Rolls back unless {@code committed}, and returns the connection to autocommit. */
    private void endTransaction(boolean committed) {
        try {
            if (!committed && !db.getAutoCommit()) {
                db.rollback();
            }
            db.setAutoCommit(true);
        } catch (SQLException e) {
            Logger.warn("ingest: ending a transaction failed: {}", e.getMessage());
        }
    }

    private Verdict storeTelemetry(String thing, byte[] payload, long now) throws SQLException {
        TelemetrySummary s = TelemetryFrameCodec.decode(payload);
        if (replayArrivals) {
            frameTimeMillis = Math.max(frameTimeMillis, s.windowEnd() * 1000);
            now = frameTimeMillis;
        }
        insertTelemetry.setString(1, thing);
        insertTelemetry.setLong(2, s.seq());
        insertTelemetry.setLong(3, s.t0());
        insertTelemetry.setLong(4, now);
        insertTelemetry.setBytes(5, payload);
        insertTelemetry.setString(6, ContractJson.toJson(s));
        int rows = insertTelemetry.executeUpdate();
        countDailyDuplicate(thing, rows, Stream.TELEMETRY, Math.floorDiv(s.t0(), 86_400L));
        return stored(thing, rows);
    }

    private Verdict storeEvent(String thing, byte[] payload, long now) throws SQLException {
        EventFrame e = EventFrameCodec.decode(payload);
        insertEvent.setString(1, thing);
        insertEvent.setLong(2, e.eseq());
        insertEvent.setLong(3, e.t());
        insertEvent.setInt(4, e.type().code());
        insertEvent.setLong(5, now);
        insertEvent.setBytes(6, payload);
        insertEvent.setString(7, ContractJson.toJson(e));
        int rows = insertEvent.executeUpdate();
        countDailyDuplicate(thing, rows, Stream.EVENTS, Math.floorDiv(e.t(), 86_400L));
        return stored(thing, rows);
    }

    private Verdict storeVoice(String thing, byte[] payload, long now) throws SQLException {
        VoiceClipPart p = VoiceClipPartCodec.decode(payload);
        insertVoice.setString(1, thing);
        insertVoice.setLong(2, p.clipId());
        insertVoice.setLong(3, p.part());
        insertVoice.setLong(4, p.parts());
        insertVoice.setLong(5, now);
        insertVoice.setBytes(6, payload);
        int rows = insertVoice.executeUpdate();
        countDailyDuplicate(thing, rows, Stream.VOICE, Math.floorDiv(p.t0Ms(), 86_400_000L));
        if (rows == 1) {
            joinWhenComplete(thing, p, now);
        }
        return stored(thing, rows);
    }

    private void countDailyDuplicate(String thing, int rows, Stream stream, long day) throws SQLException {
        if (rows == 0) {
            countDailyDuplicate.setString(1, thing);
            countDailyDuplicate.setLong(2, day);
            countDailyDuplicate.setString(3, stream.name());
            countDailyDuplicate.executeUpdate();
        }
    }

    /** Joins clip {@code p.clipId()} into {@code clips} once all its parts are stored (PCM only; see ClipJoin). */
    private void joinWhenComplete(String thing, VoiceClipPart p, long now) throws SQLException {
        List<VoiceClipPart> parts = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT frame FROM voice WHERE thing = ? AND clip_id = ? ORDER BY part")) {
            q.setString(1, thing);
            q.setLong(2, p.clipId());
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    parts.add(VoiceClipPartCodec.decode(r.getBytes(1)));
                }
            }
        }
        if (parts.size() < p.parts()) {
            return;
        }
        Optional<JoinedClip> clip;
        try {
            clip = ClipJoin.join(parts);
        } catch (IllegalArgumentException inconsistent) {
            Logger.warn("ingest: clip {} of {} not joined: {}", p.clipId(), thing, inconsistent.getMessage());
            return;
        }
        if (clip.isEmpty()) {
            return;
        }
        JoinedClip c = clip.get();
        try (PreparedStatement ins = db.prepareStatement("INSERT OR IGNORE INTO clips(thing, clip_id, t0_ms, class,"
                + " conf_pct, duration_ms, joined_at, wav) VALUES (?,?,?,?,?,?,?,?)")) {
            ins.setString(1, thing);
            ins.setLong(2, c.clipId());
            ins.setLong(3, c.t0Ms());
            ins.setInt(4, c.vocalClass());
            ins.setInt(5, c.confPct());
            ins.setInt(6, c.durationMs());
            ins.setLong(7, now);
            ins.setBytes(8, c.wav());
            ins.executeUpdate();
        }
    }

    private Verdict storeRaw(String thing, byte[] payload, long now) throws SQLException {
        RawChunk c = RawChunkCodec.decode(payload);
        insertRaw.setString(1, thing);
        insertRaw.setLong(2, c.captureId());
        insertRaw.setLong(3, c.chunk());
        insertRaw.setInt(4, c.sensor().code());
        insertRaw.setLong(5, c.t0Ms());
        insertRaw.setInt(6, c.rateHz());
        insertRaw.setInt(7, c.sampleCount());
        insertRaw.setLong(8, now);
        insertRaw.setBytes(9, payload);
        return stored(thing, insertRaw.executeUpdate());
    }

    /** Work done inside one transaction of the sink ({@link #atomically}). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code work} (which calls {@link #accept}) in one database transaction: everything it stored is
     * committed together, or — when it throws — nothing is (rolled back). Other threads' payloads wait meanwhile
     * (the sink's lock is held). The live counters ({@link #storedSinceOpen()}) are not rolled back.
     */
    public synchronized <T, E extends Exception> T atomically(Work<T, E> work) throws E {
        try {
            db.setAutoCommit(false);
        } catch (SQLException e) {
            throw new IllegalStateException("frame store transaction failed: " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            T result = work.run();
            db.commit();
            done = true;
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException("frame store commit failed: " + e.getMessage(), e);
        } finally {
            endTransaction(done);
        }
    }

    /** Raw-capture chunks stored for {@code thing}. */
    public synchronized long rawChunksStored(String thing) {
        return countInRange("SELECT COUNT(*) FROM raw WHERE thing >= ?1 AND thing <= ?2", thing, thing);
    }

    /** The stored raw chunk (thing, capture_id, chunk), if any. */
    public synchronized Optional<byte[]> rawChunk(String thing, long captureId, long chunk) {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT frame FROM raw WHERE thing=? AND capture_id=? AND chunk=?")) {
            q.setString(1, thing);
            q.setLong(2, captureId);
            q.setLong(3, chunk);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Verdict stored(String thing, int rows) throws SQLException {
        if (rows == 1) {
            return Verdict.STORED;
        }
        countDuplicate.setString(1, thing);
        countDuplicate.executeUpdate();
        return Verdict.DUPLICATE;
    }

    private Verdict reject(String thing, Stream stream, int size, String path, String rule, long now)
            throws SQLException {
        Logger.info("ingest: invalid {} frame from {} ({} bytes): {}: {}", stream.name().toLowerCase(), thing, size,
                path, rule);
        insertReject.setString(1, thing);
        insertReject.setString(2, stream.name());
        insertReject.setLong(3, now);
        insertReject.setInt(4, size);
        insertReject.setString(5, path);
        insertReject.setString(6, rule);
        insertReject.executeUpdate();
        return Verdict.INVALID;
    }

    /** What the sink has seen from {@code thing} (all zero for an unknown thing). */
    public synchronized CollarCounts counts(String thing) {
        return all(thing).stream().findFirst().orElse(new CollarCounts(thing, 0, 0, 0, 0, 0, 0, 0));
    }

    /** Counts for every collar the sink has heard from, by thing name. */
    public synchronized List<CollarCounts> counts() {
        return all(null);
    }

    /**
     * Telemetry, event and voice keys stored more than once: 0 by the tables' keys — counted, not assumed, so a
     * fleet run's "0 duplicate" is a measurement.
     */
    public synchronized long duplicateRows() {
        String sql = "SELECT (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || seq) FROM telemetry)"
                + " + (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || eseq) FROM events)"
                + " + (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || clip_id || ':' || part) FROM voice)"
                + " + (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || capture_id || ':' || chunk) FROM raw)";
        try (PreparedStatement q = db.prepareStatement(sql); ResultSet r = q.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("frame store query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #duplicateRows()}, for the things named {@code first} … {@code last} (inclusive, by name order):
     * what one shard of a fleet checks when several shards share one sink.
     */
    public synchronized long duplicateRows(String first, String last) {
        String range = " WHERE thing >= ?1 AND thing <= ?2";
        String sql = "SELECT (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || seq) FROM telemetry" + range + ")"
                + " + (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || eseq) FROM events" + range + ")"
                + " + (SELECT COUNT(*) - COUNT(DISTINCT thing || ':' || clip_id || ':' || part) FROM voice" + range
                + ")";
        return countInRange(sql, first, last);
    }

    /** Telemetry frames stored for the things named {@code first} … {@code last} (inclusive); an index range scan. */
    public synchronized long telemetryStored(String first, String last) {
        return countInRange("SELECT COUNT(*) FROM telemetry WHERE thing >= ?1 AND thing <= ?2", first, last);
    }

    /** One number from {@code sql}, whose ?1 and ?2 are the first and last thing names of a range. */
    private long countInRange(String sql, String first, String last) {
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, first);
            q.setString(2, last);
            try (ResultSet r = q.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("frame store query failed: " + e.getMessage(), e);
        }
    }

    /** The stored telemetry frame (thing, seq), if any. */
    public synchronized Optional<byte[]> telemetryFrame(String thing, long seq) {
        try (PreparedStatement q = db.prepareStatement("SELECT frame FROM telemetry WHERE thing=? AND seq=?")) {
            q.setString(1, thing);
            q.setLong(2, seq);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<CollarCounts> all(String only) {
        String where = only == null ? "" : " WHERE thing = ?1";
        String sql = "WITH things AS (SELECT thing FROM telemetry UNION SELECT thing FROM events"
                + " UNION SELECT thing FROM voice UNION SELECT thing FROM rejects UNION SELECT thing FROM duplicates),"
                + " t AS (SELECT thing, COUNT(*) n, MAX(seq) - MIN(seq) + 1 - COUNT(*) gap FROM telemetry GROUP BY thing),"
                + " e AS (SELECT thing, COUNT(*) n, MAX(eseq) - MIN(eseq) + 1 - COUNT(*) gap FROM events GROUP BY thing),"
                + " v AS (SELECT thing, COUNT(*) n FROM voice GROUP BY thing),"
                + " r AS (SELECT thing, COUNT(*) n FROM rejects GROUP BY thing)"
                + " SELECT things.thing, IFNULL(t.n,0), IFNULL(e.n,0), IFNULL(v.n,0), IFNULL(d.count,0), IFNULL(r.n,0),"
                + " IFNULL(t.gap,0), IFNULL(e.gap,0) FROM things LEFT JOIN t USING(thing) LEFT JOIN e USING(thing)"
                + " LEFT JOIN v USING(thing) LEFT JOIN r USING(thing) LEFT JOIN duplicates d USING(thing)"
                + (only == null ? "" : " WHERE things.thing = ?1") + " ORDER BY things.thing";
        try (PreparedStatement q = db.prepareStatement(sql)) {
            if (only != null) {
                q.setString(1, only);
            }
            List<CollarCounts> out = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(new CollarCounts(r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5),
                            r.getLong(6), r.getLong(7), r.getLong(8)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("frame store query failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            Logger.warn("ingest: closing the frame store failed: {}", e.getMessage());
        }
    }
}
