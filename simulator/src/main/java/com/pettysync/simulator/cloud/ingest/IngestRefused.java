package com.pettysync.simulator.cloud.ingest;

/**
 * A payload that {@link GroupCommit} did not decide: it is not in the store (or not known to be), so it must not be
 * acknowledged; the sender keeps it and sends it again. The {@link Reason} says what the broker answers.
 */
public final class IngestRefused extends RuntimeException {
    /** Why the payload was not decided. */
    public enum Reason {
        /** The queue was full: not queued, nothing written (the broker answers PUBACK 0x97 Quota exceeded). */
        BUSY,
        /** The database failed: its whole group commit was rolled back (PUBACK 0x80). */
        STORE_FAILED,
        /** The writer was stopping or stopped: not queued (PUBACK 0x80). */
        CLOSED
    }

    private final Reason reason;

    public IngestRefused(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
