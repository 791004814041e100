package com.pettysync.agent.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.tinylog.Logger;

/**
 * The outbox's counters — {@code seq} (telemetry), {@code eseq} (events) and the voice clip id — and their
 * reservation file {@code counters.reserve} ({@link OutboxStore#RESERVE_FILE}; both drawn in {@link OutboxStore}'s
 * class comment).
 *
 * <h2>Guarantee</h2>
 * A counter once written into a frame (or a clip id once handed out) is never handed out again — across restarts,
 * and also by a new database (first start, or after a corrupt one was moved aside). The next values live in the
 * database's {@code counter} table, written in the transaction that commits the frame ({@link #writeNext}). The
 * reservation file is an upper bound of every value handed out: before a value at or above it is used, it is raised
 * by {@link #RESERVE_BLOCK} and written to a temp sibling, fsynced and renamed into place (about once per
 * {@link #RESERVE_BLOCK} values). A new database starts from it ({@link #load}): a gap, never a repeat.
 *
 * <h2>Failure model</h2>
 * An unreadable reservation file counts as "no reservation" (logged; counters come from the database). A failed
 * write keeps the old reservation and is logged; the database counter stays the primary record, so a frame counter
 * is used anyway (the agent keeps running) while a clip id is not ({@link #allocateClip} returns 0). Values past
 * {@link #MAX_COUNTER} are refused.
 *
 * <p>Not thread-safe: called under {@link OutboxStore}'s lock.
 */
final class Counters {
    static final long RESERVE_BLOCK = 1024;
    /** Counters are uints of 32 bits on the wire (contract §3). */
    static final long MAX_COUNTER = 0xFFFF_FFFFL;

    private final Path reserveFile;
    // the next values to hand out (mirrored in the database while durable)
    private long nextSeq;
    private long nextEseq;
    private long nextClip = 1;
    private boolean known; // the next values came from a database or the reservation
    // the reservation file's content
    private long reservedSeq;
    private long reservedEseq;
    private long reservedClip;

    private Counters(Path reserveFile) {
        this.reserveFile = reserveFile;
    }

    /** Counters for the outbox in {@code dir}, with the reservation read (all zero when there is none or unreadable). */
    static Counters readReserve(Path dir) {
        Counters c = new Counters(dir.resolve(OutboxStore.RESERVE_FILE));
        if (!Files.isRegularFile(c.reserveFile)) {
            return c;
        }
        try {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(c.reserveFile, StandardCharsets.US_ASCII)) {
                p.load(in);
            }
            c.reservedSeq = Long.parseLong(p.getProperty(OutboxDatabase.SEQ, "0").trim());
            c.reservedEseq = Long.parseLong(p.getProperty(OutboxDatabase.ESEQ, "0").trim());
            c.reservedClip = Long.parseLong(p.getProperty(OutboxDatabase.CLIP, "0").trim());
        } catch (IOException | NumberFormatException e) {
            Logger.warn("counter reservation file {} unreadable ({}); counters start from the database",
                    c.reserveFile, OutboxStore.oneLine(e));
        }
        return c;
    }

    /** No database could be opened at start-up: continue at the reservation, which never repeats. */
    void continueFromReserve() {
        nextSeq = reservedSeq;
        nextEseq = reservedEseq;
        nextClip = Math.max(1, reservedClip);
        known = true;
    }

    /**
     * Takes the counters of a just-opened database ({@code counter} table rows by name); a new database (no rows)
     * continues from the values in memory when this process knows them (it has been running), else from the
     * reservation.
     */
    void load(Map<String, Long> values) {
        long dbSeq = values.getOrDefault(OutboxDatabase.SEQ, -1L);
        long dbEseq = values.getOrDefault(OutboxDatabase.ESEQ, -1L);
        long dbClip = values.getOrDefault(OutboxDatabase.CLIP, -1L);
        nextSeq = Math.max(nextSeq, dbSeq >= 0 ? dbSeq : known ? nextSeq : reservedSeq);
        nextEseq = Math.max(nextEseq, dbEseq >= 0 ? dbEseq : known ? nextEseq : reservedEseq);
        nextClip = Math.max(Math.max(1, nextClip), dbClip >= 0 ? dbClip : known ? nextClip : reservedClip);
        known = true;
    }

    /** Writes every next value into {@code c}'s {@code counter} table (inside the caller's transaction). */
    void writeAll(Connection c) throws SQLException {
        OutboxDatabase.setCounter(c, OutboxDatabase.SEQ, nextSeq);
        OutboxDatabase.setCounter(c, OutboxDatabase.ESEQ, nextEseq);
        OutboxDatabase.setCounter(c, OutboxDatabase.CLIP, nextClip);
    }

    /**
     * The next counter of {@code kind}, below the persisted reservation (raised first when needed; a failed write is
     * logged and the counter used anyway). It counts as handed out once {@link #advance} is called.
     *
     * @throws IllegalStateException when the counter is past {@link #MAX_COUNTER}
     */
    long reserveNext(FrameKind kind) {
        long counter = kind == FrameKind.TELEMETRY ? nextSeq : nextEseq;
        if (counter > MAX_COUNTER) {
            throw new IllegalStateException("frame counter exhausted (2^32 frames)");
        }
        if (counter >= (kind == FrameKind.TELEMETRY ? reservedSeq : reservedEseq)) {
            writeReserve(kind == FrameKind.TELEMETRY ? counter + RESERVE_BLOCK : reservedSeq,
                    kind == FrameKind.EVENT ? counter + RESERVE_BLOCK : reservedEseq, reservedClip);
        }
        return counter;
    }

    /** Sets the database's next value of {@code kind} past {@code counter} (inside the frame's transaction). */
    void writeNext(Connection c, FrameKind kind, long counter) throws SQLException {
        OutboxDatabase.setCounter(c, kind == FrameKind.TELEMETRY ? OutboxDatabase.SEQ : OutboxDatabase.ESEQ,
                counter + 1);
    }

    /** {@code counter} of {@code kind} was used (committed, or appended in memory). */
    void advance(FrameKind kind, long counter) {
        if (kind == FrameKind.TELEMETRY) {
            nextSeq = counter + 1;
        } else {
            nextEseq = counter + 1;
        }
    }

    /** Hands out the next clip id (≥ 1) once the reservation covers it; 0 when exhausted or that write failed. */
    long allocateClip() {
        long id = Math.max(1, nextClip);
        if (id > MAX_COUNTER || id >= reservedClip && !writeReserve(reservedSeq, reservedEseq, id + RESERVE_BLOCK)) {
            return 0;
        }
        nextClip = id + 1;
        return id;
    }

    /** The next clip id once clip {@code clipId} is indexed: stored with it, then {@link #clipIndexed}. */
    long nextClipAfter(long clipId) {
        return Math.max(nextClip, clipId + 1);
    }

    void clipIndexed(long nextClipId) {
        nextClip = nextClipId;
    }

    /** Writes the reservation file (temp, fsync, rename); never below the values in use. */
    private boolean writeReserve(long newSeq, long newEseq, long newClip) {
        newSeq = Math.max(newSeq, nextSeq);
        newEseq = Math.max(newEseq, nextEseq);
        newClip = Math.max(newClip, nextClip);
        Path tmp = reserveFile.resolveSibling(reserveFile.getFileName() + ".tmp");
        try {
            byte[] text = (OutboxDatabase.SEQ + "=" + newSeq + "\n" + OutboxDatabase.ESEQ + "=" + newEseq + "\n"
                    + OutboxDatabase.CLIP + "=" + newClip + "\n").getBytes(StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(text));
                ch.force(true);
            }
            Files.move(tmp, reserveFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            reservedSeq = newSeq;
            reservedEseq = newEseq;
            reservedClip = newClip;
            return true;
        } catch (IOException e) {
            // not fatal: the database counter is still the primary record
            Logger.warn("cannot write counter reservation {}: {}", reserveFile, OutboxStore.oneLine(e));
            return false;
        }
    }
}
