package com.pettysync.agent.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.outbox.VoiceClipEntry;
import com.pettysync.agent.raw.RawSpool;
import com.pettysync.agent.voice.VoiceClips;
import com.pettysync.contract.bundle.RecoveryBundle;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.voice.VoiceCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * {@code pettysync agent export}: everything a collar has not delivered, read from its data directory (typically a
 * copy of a dead collar's SD card) into one {@link RecoveryBundle} for {@code pettysync cloud import}.
 *
 * <h2>Guarantee</h2>
 * The data directory is only read, never written: not a byte, not a lock file, not a journal. SQLite cannot open a
 * WAL database on read-only media without creating its {@code -shm} file, and opening it in place would also
 * checkpoint the WAL into the card's file; so {@code outbox.db} and, when present, {@code outbox.db-wal} are copied
 * byte for byte into a private temporary directory and that copy is opened (its WAL is replayed there, so frames
 * committed only to the WAL are exported too), then deleted. The bundle holds, in the order the collar would have
 * sent them: every frame still in the outbox (telemetry and events, by outbox id — each one is undelivered, as a
 * frame leaves the outbox only on its PUBACK), every voice clip part after the clip's acknowledged ones
 * ({@code parts_acked}), and every raw-capture chunk in the spool. Payloads are the contract CBOR exactly as the
 * collar would have published them.
 *
 * <h2>Failure model</h2>
 * A directory without an outbox, a database that SQLite cannot read: a clear {@link IOException}, no bundle. A clip
 * whose file is missing or truncated, a raw chunk file that cannot be read: skipped, listed in
 * {@link Result#skipped()}, the rest is exported (a damaged card should give up as little as possible). The bundle
 * appears only when complete ({@link RecoveryBundle.Writer}).
 */
public final class CardExport {
    private CardExport() {}

    /**
     * What was exported.
     *
     * @param manifest the bundle's manifest (thing, counts, checksum)
     * @param skipped one line per item that could not be read
     */
    public record Result(RecoveryBundle.Manifest manifest, List<String> skipped) {
    }

    /**
     * Writes the bundle of {@code dataDirectory} to {@code out}.
     *
     * @param thing the collar's thing name, or empty to take it from the directory's {@code status.json}
     */
    public static Result run(Path dataDirectory, Path out, Optional<ThingName> thing, Clock clock)
            throws IOException {
        if (!Files.isDirectory(dataDirectory)) {
            throw new IOException(dataDirectory + ": not a directory");
        }
        Path db = dataDirectory.resolve(OutboxStore.DB_FILE);
        if (!Files.isRegularFile(db)) {
            throw new IOException(dataDirectory + ": no " + OutboxStore.DB_FILE + " (is this a collar's data "
                    + "directory?)");
        }
        ThingName name = thing.isPresent() ? thing.get() : thingOf(dataDirectory);
        List<String> skipped = new ArrayList<>();
        Path work = Files.createTempDirectory("pettysync-export-");
        try {
            Path copy = work.resolve(OutboxStore.DB_FILE);
            Files.copy(db, copy);
            Path wal = dataDirectory.resolve(OutboxStore.DB_FILE + "-wal");
            if (Files.isRegularFile(wal)) {
                Files.copy(wal, work.resolve(OutboxStore.DB_FILE + "-wal"));
            }
            try (RecoveryBundle.Writer w = new RecoveryBundle.Writer(out, name, clock.millis(),
                    "pettysync agent export of " + dataDirectory.toAbsolutePath())) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy.toAbsolutePath())) {
                    frames(c, w);
                    clips(c, dataDirectory.resolve(VoiceClips.DIR), w, skipped);
                } catch (SQLException e) {
                    throw new IOException(db + ": cannot read the outbox: " + e.getMessage(), e);
                }
                RawSpool.forEachChunk(dataDirectory.resolve(RawSpool.DIR), (chunk, payload) ->
                        w.add(DataStream.RAW, payload), skipped);
                RecoveryBundle.Manifest m = w.finish();
                Logger.info("exported {} from {} to {}: {} (sha256 {}), {} skipped", name.value(), dataDirectory, out,
                        m.counts(), m.sha256(), skipped.size());
                return new Result(m, List.copyOf(skipped));
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void frames(Connection c, RecoveryBundle.Writer w) throws SQLException, IOException {
        try (PreparedStatement q = c.prepareStatement("SELECT kind, payload FROM frame ORDER BY id");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                w.add(r.getInt(1) == 0 ? DataStream.TELEMETRY : DataStream.EVENTS, r.getBytes(2));
            }
        }
    }

    private static void clips(Connection c, Path clipsDir, RecoveryBundle.Writer w, List<String> skipped)
            throws SQLException, IOException {
        List<VoiceClipEntry> clips = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT clip_id, t0_ms, class, conf_pct, codec, sample_rate,"
                + " duration_ms, bytes, parts, parts_acked, file, created_ms FROM voice_clip ORDER BY clip_id");
                ResultSet r = q.executeQuery()) {
            while (r.next()) {
                clips.add(new VoiceClipEntry(r.getLong(1), r.getLong(2), r.getInt(3), r.getInt(4),
                        VoiceCodec.ofCode(r.getInt(5), "codec"), r.getInt(6), r.getInt(7), r.getLong(8), r.getInt(9),
                        r.getInt(10), r.getString(11), Instant.ofEpochMilli(r.getLong(12))));
            }
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such table")) {
                return; // an outbox from before voice clips
            }
            throw e;
        }
        clips.sort(Comparator.comparingLong(VoiceClipEntry::clipId));
        for (VoiceClipEntry e : clips) {
            for (int part = e.partsAcked(); part < e.parts(); part++) {
                try {
                    w.add(DataStream.VOICE, VoiceClips.encodePart(clipsDir, e, part));
                } catch (IOException | RuntimeException x) {
                    skipped.add("voice clip " + e.clipId() + " (" + e.file() + "): " + x.getMessage());
                    break;
                }
            }
        }
    }

    private static ThingName thingOf(Path dataDirectory) throws IOException {
        Path status = dataDirectory.resolve("status.json");
        if (Files.isRegularFile(status)) {
            try {
                JsonNode s = JsonTrees.read(Files.readString(status));
                JsonNode t = s == null ? null : s.get("thing");
                if (t != null && t.isTextual()) {
                    return ThingName.of(t.textValue());
                }
            } catch (IOException | RuntimeException e) {
                throw new IOException(status + ": cannot read the thing name (" + e.getMessage() + "); give --thing",
                        e);
            }
        }
        throw new IOException(dataDirectory + ": no thing name in status.json; give --thing");
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    Logger.warn("cannot delete {}: {}", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            Logger.warn("cannot clean {}: {}", dir, e.getMessage());
        }
    }
}
