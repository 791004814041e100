package com.pettysync.simulator.cloud.ingest;

/** What the ingest sink did with one payload. */
public enum Verdict {
    /** Valid and new: stored. */
    STORED,
    /**
     * Valid, but its key ((thing, seq), (thing, eseq), (thing, clip, part) or (thing, capture, chunk)) was stored
     * before: dropped.
     */
    DUPLICATE,
    /** Not a valid frame of its stream: counted and dropped (the reason is logged in the rejects table). */
    INVALID
}
