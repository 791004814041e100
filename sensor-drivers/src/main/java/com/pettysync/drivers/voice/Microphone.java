package com.pettysync.drivers.voice;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import java.io.IOException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * The I2S microphone: a capture loop moves bytes from a {@link PcmSource} through an {@link I2sDecoder} into a
 * {@link SampleRing}; {@link #read} takes samples out.
 *
 * <p>Two ways to drive capture: {@link #start(ThreadFactory)} runs the loop on a dedicated thread (the real collar:
 * the loop never waits for the reader, a slow reader only costs counted overruns), or {@link #pump()} runs one pass
 * in the caller's thread (simulation on a simulated clock). Use one or the other.
 *
 * <p>Faults: the source cannot be opened → {@link FaultCode#UNAVAILABLE}; it fails while capturing →
 * {@link FaultCode#BUS_ERROR}; no samples or only digital zeros for {@link #SILENT_AFTER_NANOS} →
 * {@link FaultCode#NO_DATA} (a dead I2S mic clocks out zeros). {@link #open()} closes and reopens the source and,
 * if capture had been started on a thread, resumes it on a new one.
 */
public final class Microphone implements VoiceSensor {
    public static final long SILENT_AFTER_NANOS = 2_000_000_000L;
    private static final long NANOS_PER_SAMPLE = 1_000_000_000L / I2sFormat.OUTPUT_RATE;

    private final PcmSource.Opener opener;
    private final I2sFormat format;
    private final MonotonicClock clock;
    private final SampleRing ring;
    private final byte[] bytes;
    private short[] decoded;
    private volatile PcmSource source;
    private volatile I2sDecoder decoder;
    private volatile SensorStatus status = SensorStatus.fault(FaultCode.UNAVAILABLE, "not opened");
    private volatile IOException captureFailure;
    private volatile Thread thread;
    private ThreadFactory threads;
    private volatile boolean running;
    private long lastSoundNanos;
    private boolean everOpened;

    public Microphone(PcmSource.Opener opener, I2sFormat format, MonotonicClock clock, int ringSamples) {
        this.opener = opener;
        this.format = format;
        this.clock = clock;
        this.ring = new SampleRing(ringSamples);
        this.bytes = new byte[format.captureRate() / 50 * 8]; // 20 ms of frames
        this.decoded = new short[bytes.length / 8 + 2];
    }

    @Override
    public String name() {
        return "mic";
    }

    @Override
    public SensorStatus status() {
        return status;
    }

    @Override
    public synchronized void open() throws SensorFault {
        ThreadFactory restart = threads;
        stop();
        closeSource();
        try {
            source = opener.open();
        } catch (IOException | RuntimeException e) {
            SensorFault f = new SensorFault(FaultCode.UNAVAILABLE, "microphone: " + e.getMessage(), e);
            status = SensorStatus.of(f);
            throw f;
        }
        decoder = new I2sDecoder(format);
        captureFailure = null;
        if (restart != null) {
            start(restart); // a re-open after a fault resumes capture on a fresh thread
        }
        if (!everOpened) {
            // silence is measured across re-opens: a dead mic stays faulted instead of flapping
            lastSoundNanos = clock.nanos();
            everOpened = true;
        }
        status = SensorStatus.OK;
    }

    /** Starts the capture loop on a thread from {@code threads}. */
    public synchronized void start(ThreadFactory factory) {
        threads = factory;
        if (thread != null) {
            return;
        }
        running = true;
        thread = factory.newThread(this::captureLoop);
        thread.start();
    }

    /** Stops the capture thread and waits for it. */
    public synchronized void stop() {
        Thread t = thread;
        running = false;
        thread = null;
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void captureLoop() {
        while (running) {
            int n = pumpOnce();
            if (n < 0) {
                return;
            }
            if (n == 0) {
                LockSupport.parkNanos(1_000_000); // source had nothing ready: do not spin
            }
        }
    }

    /** One capture pass in the caller's thread; returns the bytes consumed (-1 when the source ended or failed). */
    public int pump() {
        int total = 0;
        while (true) {
            int n = pumpOnce();
            if (n <= 0) {
                return n < 0 && total == 0 ? -1 : total;
            }
            total += n;
        }
    }

    private int pumpOnce() {
        PcmSource s = source;
        I2sDecoder d = decoder;
        if (s == null || d == null || captureFailure != null) {
            return -1;
        }
        int n;
        try {
            n = s.read(bytes, 0, bytes.length);
        } catch (IOException e) {
            captureFailure = e;
            Logger.warn("microphone capture failed: {}", e.getMessage());
            return -1;
        }
        if (n < 0) {
            captureFailure = new IOException("capture source ended");
            return -1;
        }
        if (n > 0) {
            int m = d.decode(bytes, 0, n, decoded);
            ring.offer(decoded, 0, m);
        }
        return n;
    }

    @Override
    public AudioBlock read(int maxSamples) throws SensorFault {
        long now = clock.nanos();
        IOException failed = captureFailure;
        if (failed != null) {
            throw fail(new SensorFault(FaultCode.BUS_ERROR, "microphone: " + failed.getMessage(), failed));
        }
        int buffered = ring.available();
        short[] out = new short[Math.min(maxSamples, buffered)];
        int n = ring.poll(out, 0, out.length);
        boolean sound = false;
        for (int i = 0; i < n && !sound; i++) {
            sound = out[i] != 0;
        }
        if (sound) {
            lastSoundNanos = now;
        } else if (now - lastSoundNanos > SILENT_AFTER_NANOS) {
            throw fail(new SensorFault(FaultCode.NO_DATA, (n == 0 ? "no samples" : "only digital silence")
                    + " for " + (now - lastSoundNanos) / 1_000_000 + " ms"));
        }
        status = SensorStatus.OK;
        return new AudioBlock(now - (long) buffered * NANOS_PER_SAMPLE, out, ring.droppedSamples());
    }

    /** Total capture overruns (offers that did not fit). */
    public long overruns() {
        return ring.overruns();
    }

    private void closeSource() {
        PcmSource s = source;
        source = null;
        if (s != null) {
            s.close();
        }
    }

    /** Stops capture and releases the device. */
    public synchronized void close() {
        threads = null;
        stop();
        closeSource();
    }

    private SensorFault fail(SensorFault f) {
        status = SensorStatus.of(f);
        return f;
    }
}
