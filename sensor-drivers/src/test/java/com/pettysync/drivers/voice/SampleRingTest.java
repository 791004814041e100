package com.pettysync.drivers.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SampleRingTest {

    @Test
    void deliversInOrderAcrossTheWrap() {
        SampleRing ring = new SampleRing(8);
        short[] out = new short[8];
        for (int round = 0; round < 5; round++) {
            short[] in = {(short) (round * 10), (short) (round * 10 + 1), (short) (round * 10 + 2),
                (short) (round * 10 + 3), (short) (round * 10 + 4)};
            assertEquals(5, ring.offer(in, 0, 5));
            assertEquals(5, ring.poll(out, 0, 8));
            for (int i = 0; i < 5; i++) {
                assertEquals(round * 10 + i, out[i]);
            }
        }
        assertEquals(0, ring.overruns());
    }

    @Test
    void aFullRingDropsAndCountsInsteadOfBlocking() {
        SampleRing ring = new SampleRing(8);
        short[] in = new short[6];
        assertEquals(6, ring.offer(in, 0, 6));
        assertEquals(2, ring.offer(in, 0, 6));
        assertEquals(0, ring.offer(in, 0, 6));
        assertEquals(10, ring.droppedSamples());
        assertEquals(2, ring.overruns());
        assertEquals(8, ring.available());
    }
}
