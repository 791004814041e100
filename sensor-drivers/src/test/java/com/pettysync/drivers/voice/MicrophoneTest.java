package com.pettysync.drivers.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.SimulatedClock;
import com.pettysync.drivers.twin.TwinFault;
import com.pettysync.drivers.twin.VocalizationSynth;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MicrophoneTest {
    final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-06-01T12:00:00Z"));
    final VocalizationSynth synth = new VocalizationSynth(clock, new DogBehaviourModel(5, 52.5, 13.4), 5);

    @Test
    void deliversSixteenKilohertzMonoFromTheTwin() throws Exception {
        Microphone mic = new Microphone(() -> synth, I2sFormat.sph0645(), clock, 1 << 16);
        mic.open();
        int total = 0;
        for (int i = 0; i < 20; i++) {
            clock.advance(Duration.ofMillis(50));
            mic.pump();
            total += mic.read(100_000).samples().length;
        }
        assertEquals(16_000, total, 1);
        assertEquals(0, mic.overruns());
    }

    @Test
    void silenceAndMissingDeviceAreFaults() throws Exception {
        Microphone mic = new Microphone(() -> synth, I2sFormat.sph0645(), clock, 1 << 16);
        mic.open();
        synth.inject(TwinFault.SILENCE);
        SensorFault f = null;
        for (int i = 0; i < 60 && f == null; i++) {
            clock.advance(Duration.ofMillis(50));
            mic.pump();
            try {
                mic.read(100_000);
            } catch (SensorFault e) {
                f = e;
            }
        }
        assertEquals(FaultCode.NO_DATA, f == null ? null : f.code());
        mic.open(); // re-open does not hide a mic that is still dead
        clock.advance(Duration.ofMillis(50));
        mic.pump();
        assertThrows(SensorFault.class, () -> mic.read(100_000));

        Microphone none = new Microphone(() -> {
            throw new IOException("no capture device");
        }, I2sFormat.sph0645(), clock, 1024);
        assertEquals(FaultCode.UNAVAILABLE, assertThrows(SensorFault.class, none::open).code());
    }

    @Test
    void captureThreadNeverWaitsForTheReaderAndCountsOverruns() throws Exception {
        AtomicInteger chunks = new AtomicInteger();
        CountDownLatch produced = new CountDownLatch(1);
        PcmSource fast = new PcmSource() {
            @Override
            public int read(byte[] destination, int offset, int length) {
                if (chunks.incrementAndGet() == 200) {
                    produced.countDown();
                }
                if (chunks.get() > 200) {
                    return 0;
                }
                for (int i = 0; i < length; i++) {
                    destination[offset + i] = (byte) (i * 7);
                }
                return length - length % 8;
            }

            @Override
            public void close() {
            }
        };
        Microphone mic = new Microphone(() -> fast, I2sFormat.sph0645(), clock, 4096);
        mic.open();
        mic.start(Thread.ofPlatform().daemon().factory());
        try {
            assertTrue(produced.await(10, TimeUnit.SECONDS), "200 chunks captured without anyone reading");
        } finally {
            mic.close();
        }
        assertTrue(mic.overruns() > 0);
        assertEquals(4096, mic.read(100_000).samples().length, "the ring kept what fit");
    }

    @Test
    void reopenAfterACaptureFailureResumesTheCaptureThread() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        CountDownLatch secondCapture = new CountDownLatch(1);
        Microphone mic = new Microphone(() -> {
            int n = opens.incrementAndGet();
            return new PcmSource() {
                @Override
                public int read(byte[] destination, int offset, int length) throws IOException {
                    if (n == 1) {
                        throw new IOException("I2S overrun, device gone");
                    }
                    secondCapture.countDown();
                    return 0;
                }

                @Override
                public void close() {
                }
            };
        }, I2sFormat.sph0645(), clock, 1024);
        mic.open();
        mic.start(Thread.ofPlatform().daemon().factory());
        try {
            SensorFault f = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (f == null && System.nanoTime() < deadline) {
                try {
                    mic.read(10);
                    Thread.onSpinWait();
                } catch (SensorFault e) {
                    f = e;
                }
            }
            assertEquals(FaultCode.BUS_ERROR, f == null ? null : f.code());
            mic.open();
            assertTrue(secondCapture.await(10, TimeUnit.SECONDS), "capture resumed on a new thread");
            assertEquals(2, opens.get());
        } finally {
            mic.close();
        }
    }
}
