package com.pettysync.contract.telemetry;

/** Key 5 {@code act}: activity over the window; the four durations (seconds) sum to at most {@code dur}. */
public record Activity(long steps, int restS, int walkS, int runS, int playS, int peakMg) {}
