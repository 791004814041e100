package com.pettysync.drivers.position;

/**
 * What an {@link NmeaReader} has seen.
 *
 * @param sentences every non-empty line received (each line is counted once, whatever became of it)
 * @param badChecksum lines whose {@code *hh} checksum did not match
 * @param skipped lines dropped for any other reason: partial (no checksum), garbled fields, over-long, or an unknown
 *     sentence type
 * @param unknown the part of {@code skipped} that was well-formed but of a type the reader does not use (GSV, VTG…)
 */
public record NmeaCounters(long sentences, long badChecksum, long skipped, long unknown) {

    /** {@code {"sentences":N,"bad_checksum":N,"skipped":N}} */
    public String toJson() {
        return "{\"sentences\":" + sentences + ",\"bad_checksum\":" + badChecksum + ",\"skipped\":" + skipped + "}";
    }
}
