package com.pettysync.agent.window;

/**
 * Where the collar's wall-clock time comes from right now (contract §3 flags 4 and 8): NTP when the system clock
 * is synchronised over the network, otherwise GNSS time when a receiver has a fix, otherwise unsynchronised.
 */
public enum ClockSource {
    NTP, GNSS, UNSYNCED;

    /** Reports the current {@link ClockSource}. The real one reads the system's sync state and the GNSS driver. */
    @FunctionalInterface
    public interface Probe {
        ClockSource current();
    }
}
