package com.pettysync.agent.outbox;

/** What a frame is; decides its counter, its topic and its place in the drop order (telemetry goes first). */
public enum FrameKind {
    /** A window summary (contract §3), counter {@code seq}. */
    TELEMETRY(0),
    /** An event (contract §4), counter {@code eseq}. */
    EVENT(1);

    final int code;

    FrameKind(int code) {
        this.code = code;
    }

    static FrameKind of(int code) {
        return code == 0 ? TELEMETRY : EVENT;
    }
}
