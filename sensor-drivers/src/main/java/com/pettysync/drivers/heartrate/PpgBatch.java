package com.pettysync.drivers.heartrate;

import java.util.List;

/**
 * The samples of one FIFO read, oldest first, and how many samples the part dropped before them because its FIFO
 * was full ({@code lostSamples}; the MAX30102's counter saturates at 31, so 31 means "31 or more"). Lost samples are
 * never filled in: a consumer that needs a continuous series sees the gap here and in the timestamps.
 */
public record PpgBatch(List<PpgSample> samples, int lostSamples) {
    public PpgBatch {
        samples = List.copyOf(samples);
    }

    public boolean overflowed() {
        return lostSamples > 0;
    }
}
