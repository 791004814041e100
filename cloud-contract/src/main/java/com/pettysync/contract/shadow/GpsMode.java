package com.pettysync.contract.shadow;

/** How hard the collar's GNSS receiver works (shadow setting {@code gpsMode}, wire contract §6). */
public enum GpsMode {
    /** Receiver off; no location in frames. */
    OFF("off"),
    /** Power-saving fixes. */
    ECO("eco"),
    /** Regular tracking. */
    NORMAL("normal"),
    /** Continuous tracking, highest power. */
    LIVE("live");

    private final String jsonName;

    GpsMode(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in the shadow document. */
    public String jsonName() {
        return jsonName;
    }

    static GpsMode fromJson(String name) {
        for (GpsMode m : values()) {
            if (m.jsonName.equals(name)) {
                return m;
            }
        }
        return null;
    }
}
