package com.pettysync.contract.telemetry;

/** Key 9 {@code fw}: running firmware build and model version. */
public record Firmware(long build, long model) {}
