package com.pettysync.simulator.cloud.ingest;

import com.pettysync.contract.bundle.RecoveryBundle;
import com.pettysync.contract.topic.DataStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.tinylog.Logger;

/**
 * Ingests a recovery bundle ({@link RecoveryBundle}, written by {@code pettysync agent export} from a collar's card)
 * into the {@link IngestSink}, through the same validator and de-duplication as live traffic.
 *
 * <p>Guarantee: all or nothing. The bundle is verified whole (structure, counts, SHA-256) before any record is
 * looked at, and its records are stored in one sink transaction: a corrupt or truncated bundle, or a database
 * failure half-way, stores nothing (the error says why). A bundle that verifies is imported whole: every record is
 * {@link Verdict#STORED}, {@link Verdict#DUPLICATE} (its key already arrived live or from an earlier import — so
 * importing the same bundle twice stores nothing the second time) or {@link Verdict#INVALID} (kept in the sink's
 * rejects like a live payload that breaks the contract), and the {@link Result} counts exactly which. Stored rows
 * carry the import time as {@code received_at}: recovered frames are late arrivals in the daily report.
 */
public final class BundleImport {
    private BundleImport() {}

    /**
     * What one import did.
     *
     * @param thing the collar the bundle belongs to
     * @param sha256 the bundle's checksum
     * @param stored per stream, records stored now
     * @param duplicates per stream, records whose key was already stored
     * @param invalid per stream, records that broke the contract (see the sink's rejects)
     */
    public record Result(String thing, String sha256, Map<Stream, Long> stored, Map<Stream, Long> duplicates,
            Map<Stream, Long> invalid) {
        /** Records in the bundle. */
        public long records() {
            return total(stored) + total(duplicates) + total(invalid);
        }

        public long totalStored() {
            return total(stored);
        }

        private static long total(Map<Stream, Long> m) {
            return m.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Imports {@code bundle} into {@code sink}.
     *
     * @throws RecoveryBundle.BundleException the bundle is not intact; nothing was stored
     * @throws IOException the file cannot be read; nothing was stored
     */
    public static Result run(IngestSink sink, Path bundle) throws IOException, RecoveryBundle.BundleException {
        Map<Stream, Long> stored = zero();
        Map<Stream, Long> duplicates = zero();
        Map<Stream, Long> invalid = zero();
        String[] thing = new String[1];
        RecoveryBundle.Manifest m = RecoveryBundle.verify(bundle);
        thing[0] = m.thing().value();
        RecoveryBundle.Manifest read = sink.atomically(() -> {
            try {
                return RecoveryBundle.read(bundle, r -> {
                    Stream s = of(r.stream());
                    Verdict v = sink.accept(thing[0], s, r.payload());
                    (switch (v) {
                        case STORED -> stored;
                        case DUPLICATE -> duplicates;
                        case INVALID -> invalid;
                    }).merge(s, 1L, Long::sum);
                });
            } catch (RecoveryBundle.BundleException e) { // it verified a moment ago: the file changed meanwhile
                throw new IOException("the bundle changed while it was imported: " + e.getMessage(), e);
            }
        });
        Result result = new Result(read.thing().value(), read.sha256(), Map.copyOf(stored), Map.copyOf(duplicates),
                Map.copyOf(invalid));
        Logger.info("import of {} ({} records, sha256 {}): stored {}, duplicate {}, invalid {}", read.thing().value(),
                read.records(), read.sha256(), stored, duplicates, invalid);
        return result;
    }

    private static Map<Stream, Long> zero() {
        Map<Stream, Long> m = new EnumMap<>(Stream.class);
        for (Stream s : Stream.values()) {
            m.put(s, 0L);
        }
        return m;
    }

    static Stream of(DataStream s) {
        return switch (s) {
            case TELEMETRY -> Stream.TELEMETRY;
            case EVENTS -> Stream.EVENTS;
            case VOICE -> Stream.VOICE;
            case RAW -> Stream.RAW;
        };
    }
}
