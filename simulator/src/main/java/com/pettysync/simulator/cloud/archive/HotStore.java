package com.pettysync.simulator.cloud.archive;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The hot store the archive moves days out of and the delivery report reads: what the ingest sink ("Dumper #1")
 * stored, by collar and UTC day. {@link SqliteHotStore} reads the local cloud's {@code frames.db}; a cloud deployment
 * would implement it over its time-series table. The archive and report code see only this interface, never the
 * broker.
 */
public interface HotStore extends AutoCloseable {

    /** One stored telemetry frame: its key, window, arrival (Unix ms), the payload and the decoded JSON. */
    record TelemetryRow(long seq, long t0, int dur, long receivedAt, byte[] frame, String json) {}

    /** One stored event frame. */
    record EventRow(long eseq, long t, int type, long receivedAt, String json) {}

    /** One joined voice clip (see the sink's {@code clips}). */
    record ClipRow(long clipId, long t0Ms, int vocalClass, int confPct, int durationMs, long joinedAt, byte[] wav) {}

    /** One stored raw-capture chunk (contract §9): its key, its first sample's time (Unix ms), arrival, payload. */
    record RawRow(long captureId, long chunk, long t0Ms, long receivedAt, byte[] frame) {}

    /** A collar and a UTC day. */
    record CollarDay(String thing, LocalDate day) {
        public CollarDay {
            Objects.requireNonNull(thing, "thing");
            Objects.requireNonNull(day, "day");
        }
    }

    /** Everything stored for one collar-day, each list in key order. */
    record CollarDayRows(CollarDay key, List<TelemetryRow> telemetry, List<EventRow> events, List<ClipRow> clips,
            List<RawRow> raw) {
        public boolean isEmpty() {
            return telemetry.isEmpty() && events.isEmpty() && clips.isEmpty() && raw.isEmpty();
        }
    }

    /** Streams one day's telemetry for a report, ordered by thing then seq, without the payload's JSON. */
    interface TelemetryVisitor {
        void frame(String thing, long seq, long t0, int dur, long receivedAt, byte[] frame);
    }

    /** Every collar-day before {@code before} (exclusive) that still holds telemetry, events, clips or raw chunks. */
    List<CollarDay> collarDaysBefore(LocalDate before);

    /** The rows of one collar-day (frames by t0 / t, clips by t0, in UTC). */
    CollarDayRows load(CollarDay key);

    /**
     * Deletes exactly {@code rows} (telemetry by seq, events by eseq, clips with their voice parts by clip id, raw
     * chunks by capture and chunk) and notes
     * the collar-day as archived, in one transaction: all or none.
     */
    void delete(CollarDayRows rows);

    /** {@link TelemetryVisitor} over every telemetry frame of {@code day}. */
    void forEachTelemetry(LocalDate day, TelemetryVisitor visitor);

    /** Events of {@code day} per thing per event type code. */
    Map<String, Map<Integer, Long>> eventCounts(LocalDate day);

    /** Joined clips of {@code day} per thing. */
    Map<String, Long> clipCounts(LocalDate day);

    /** Copies the sink dropped as duplicates, per thing, of telemetry whose window starts on {@code day}. */
    Map<String, Long> telemetryDuplicates(LocalDate day);

    /** Every thing the store has heard from, any day, archived days included. */
    Set<String> things();

    @Override
    void close();
}
