package com.pettysync.drivers.voice;

/**
 * Consecutive 16 kHz mono samples. {@code tNanos} is the estimated capture time of the first sample (read time
 * minus the duration of what was still buffered); {@code droppedSamples} is the ring's running total of samples
 * lost to overruns, so a consumer sees a new gap as an increase.
 */
public record AudioBlock(long tNanos, short[] samples, long droppedSamples) {
}
