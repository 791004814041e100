package com.pettysync.contract.telemetry;

/** An earlier fix of the window: degrees × 10^5 and Unix seconds (the absolute form of one trail entry). */
public record TrailPoint(int latE5, int lonE5, long t) {}
