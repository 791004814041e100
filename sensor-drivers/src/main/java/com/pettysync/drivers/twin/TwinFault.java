package com.pettysync.drivers.twin;

/** Faults a twin can be told to show. Each twin honours the ones that make sense for its part. */
public enum TwinFault {
    /** Healthy. */
    NONE,
    /** I2C parts stop acknowledging their address (loose cable); serial and audio twins go silent. */
    NACK,
    /** The part answers but its FIFO / data-ready stops advancing. */
    STUCK,
    /** GNSS: most sentences arrive corrupted. */
    GARBLED,
    /** GNSS: sentences keep coming, but without a fix. */
    NO_FIX,
    /** Microphone: the I2S mic delivers digital zeros. */
    SILENCE
}
