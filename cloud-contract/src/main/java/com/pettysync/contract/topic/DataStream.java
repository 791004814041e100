package com.pettysync.contract.topic;

/** The collar → cloud data streams of wire contract §2, by last topic level. */
public enum DataStream {
    /** Telemetry frames (§3). */
    TELEMETRY("telemetry"),
    /** Event frames (§4). */
    EVENTS("events"),
    /** Voice clip parts (§5). */
    VOICE("voice"),
    /** Raw-capture chunks (§9), only while the shadow's {@code rawCapture} asks for them. */
    RAW("raw");

    private final String level;

    DataStream(String level) {
        this.level = level;
    }

    /** The last topic level: {@code telemetry}, {@code events}, {@code voice}, {@code raw}. */
    public String level() {
        return level;
    }

    static DataStream fromLevel(String level) {
        for (DataStream s : values()) {
            if (s.level.equals(level)) {
                return s;
            }
        }
        return null;
    }
}
