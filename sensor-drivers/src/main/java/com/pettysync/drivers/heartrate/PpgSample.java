package com.pettysync.drivers.heartrate;

/**
 * One PPG sample: the red and infrared photodiode readings (18-bit ADC counts, 0..262143) at {@code tNanos} on the
 * driver's monotonic clock.
 */
public record PpgSample(long tNanos, int red, int ir) {
}
