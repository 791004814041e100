package com.pettysync.agent.outbox;

import com.pettysync.contract.voice.VoiceCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The voice clip index: table {@code voice_clip} in {@code outbox.db} (drawn in {@link OutboxStore}'s class
 * comment), one row per clip file under {@code clips/}, over the store's connection.
 *
 * <p>Guarantee: a row and the {@code clip} counter advanced past its id commit in one transaction
 * ({@link #insert}), so an indexed id is never handed out again by the database; ids handed out before they are
 * indexed are bounded by the reservation ({@link Counters}). Failures are {@link SQLException}s for the store to handle as for
 * frames (degrade, or move a corrupt file aside); the index lives and dies with the database file.
 *
 * <p>Stateless; called under {@link OutboxStore}'s lock with its connection.
 */
final class VoiceClipIndex {
    private VoiceClipIndex() {
    }

    /** Part of {@link OutboxDatabase#open}'s schema. */
    static void createTable(Statement st) throws SQLException {
        st.execute("CREATE TABLE IF NOT EXISTS voice_clip (clip_id INTEGER PRIMARY KEY, t0_ms INTEGER NOT NULL, "
                + "class INTEGER NOT NULL, conf_pct INTEGER NOT NULL, codec INTEGER NOT NULL, "
                + "sample_rate INTEGER NOT NULL, duration_ms INTEGER NOT NULL, bytes INTEGER NOT NULL, "
                + "parts INTEGER NOT NULL, parts_acked INTEGER NOT NULL, file TEXT NOT NULL, "
                + "created_ms INTEGER NOT NULL)");
    }

    /**
     * Indexes {@code c} and sets the {@code clip} counter to {@code nextClipId} (above {@code c}'s id), in one
     * transaction.
     */
    static void insert(Connection db, VoiceClipEntry c, long nextClipId) throws SQLException {
        OutboxDatabase.inTransaction(db, () -> {
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
            OutboxDatabase.setCounter(db, OutboxDatabase.CLIP, nextClipId);
            return null;
        });
    }

    /** Up to {@code limit} indexed clips, lowest id first. */
    static List<VoiceClipEntry> list(Connection db, int limit) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT clip_id, t0_ms, class, conf_pct, codec, sample_rate, "
                + "duration_ms, bytes, parts, parts_acked, file, created_ms FROM voice_clip ORDER BY clip_id LIMIT ?")) {
            ps.setInt(1, limit);
            List<VoiceClipEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new VoiceClipEntry(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4),
                            VoiceCodec.ofCode(rs.getInt(5), "codec"), rs.getInt(6), rs.getInt(7), rs.getLong(8),
                            rs.getInt(9), rs.getInt(10), rs.getString(11), Instant.ofEpochMilli(rs.getLong(12))));
                }
            }
            return out;
        }
    }

    /** Raises a clip's {@code parts_acked} to {@code partsAcked} (never lowers it). */
    static void setPartsAcked(Connection db, long clipId, int partsAcked) throws SQLException {
        update(db, "UPDATE voice_clip SET parts_acked = max(parts_acked, ?) WHERE clip_id = ?", partsAcked, clipId);
    }

    /** Removes a clip's row; an unknown id is ignored. */
    static void delete(Connection db, long clipId) throws SQLException {
        update(db, "DELETE FROM voice_clip WHERE clip_id = ?", clipId);
    }

    private static void update(Connection db, String sql, long... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setLong(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
