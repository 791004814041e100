package com.pettysync.drivers.poll;

import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.MonotonicClock;
import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;
import com.pettysync.drivers.SensorStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import com.pettysync.drivers.retry.Backoff;
import org.tinylog.Logger;

/**
 * Runs every sensor on its own schedule and keeps each one's fault state.
 *
 * <p>Per sensor: open it (identify + configure) if it is not open, then call its poll task every {@code period}.
 * A {@link SensorFault} (or any runtime exception from a driver, reported as {@link FaultCode#BUS_ERROR}) puts that
 * sensor into the fault state with its code and schedules a retry — {@code open()} then poll — after a back-off
 * from the collar's one back-off rule ({@link Backoff}: {@link #DEFAULT_BACKOFF} 0.5 s doubling to 60 s); the
 * first successful poll restores {@link SensorStatus#OK} and resets the back-off. Status changes go to the {@link StatusListener}, one call
 * per change. All timing comes from the injected {@link MonotonicClock}.
 *
 * <p>Isolation: a faulted sensor costs the others nothing but its (backed-off) retry attempts. Two ways to run:
 * {@link #runDue()} in the caller's thread (simulation, tests: deterministic on a simulated clock), or
 * {@link #start(ThreadFactory)} with one thread per sensor, so that even a bus call that hangs in the kernel stalls
 * only its own sensor. Use one or the other, not both.
 */
public final class SensorPoller {

    /** One poll of a sensor: read its samples and hand them on. */
    @FunctionalInterface
    public interface Task {
        void poll() throws SensorFault;
    }

    /** Told about every status change of every sensor (called on the polling thread). */
    @FunctionalInterface
    public interface StatusListener {
        void onStatus(String sensor, SensorStatus status);
    }

    /** The poller's default retry schedule: 0.5 s, doubling, at most 60 s. */
    public static final Backoff DEFAULT_BACKOFF = Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(60));

    private static final class Entry {
        final Sensor sensor;
        final long periodNanos;
        final Task task;
        boolean open;
        long nextDue;
        int failures; // faults in a row
        volatile SensorStatus status = SensorStatus.fault(FaultCode.NO_ACK, "not opened yet");
        volatile long polls;
        volatile long faults;
        volatile long recoveries;
        volatile SensorStatus lastFault;
        boolean everOk;

        Entry(Sensor sensor, long periodNanos, Task task) {
            this.sensor = sensor;
            this.periodNanos = periodNanos;
            this.task = task;
        }
    }

    private final MonotonicClock clock;
    private final Backoff backoff;
    private final StatusListener listener;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public SensorPoller(MonotonicClock clock, Backoff backoff, StatusListener listener) {
        this.clock = clock;
        this.backoff = backoff;
        this.listener = listener;
    }

    /** Adds a sensor polled every {@code period}; its first attempt is due immediately. */
    public synchronized SensorPoller add(Sensor sensor, Duration period, Task task) {
        if (running) {
            throw new IllegalStateException("add sensors before start()");
        }
        Entry e = new Entry(sensor, period.toNanos(), task);
        e.nextDue = clock.nanos();
        entries.add(e);
        return this;
    }

    /** Runs every sensor that is due now; returns the clock time at which the next one is due. */
    public long runDue() {
        long next = Long.MAX_VALUE;
        for (Entry e : entries) {
            long now = clock.nanos();
            if (now - e.nextDue >= 0) {
                runOnce(e, now);
            }
            next = Math.min(next, e.nextDue);
        }
        return next;
    }

    private void runOnce(Entry e, long now) {
        try {
            if (!e.open) {
                e.sensor.open();
                e.open = true;
            }
            e.task.poll();
            e.polls++;
            long due = e.nextDue + e.periodNanos;
            e.nextDue = due - now < 0 ? now + e.periodNanos : due; // keep cadence, but never a burst of catch-ups
            e.failures = 0;
            if (!e.status.isOk()) {
                if (e.everOk) {
                    e.recoveries++;
                    Logger.info("sensor {} recovered", e.sensor.name());
                }
                e.everOk = true;
                setStatus(e, SensorStatus.OK);
            }
        } catch (SensorFault f) {
            fault(e, now, SensorStatus.of(f));
        } catch (RuntimeException | LinkageError x) {
            // a LinkageError is a native library that cannot load (jSerialComm, ALSA): that sensor's fault, retried
            // with back-off, never the end of its polling thread
            Logger.error(x, "sensor {} driver failed unexpectedly", e.sensor.name());
            fault(e, now, SensorStatus.fault(FaultCode.BUS_ERROR, "driver error: " + x));
        }
    }

    private void fault(Entry e, long now, SensorStatus s) {
        e.open = false;
        e.faults++;
        e.lastFault = s;
        e.failures++;
        e.nextDue = now + backoff.delay(e.failures).toNanos();
        if (!s.equals(e.status)) {
            Logger.warn("sensor {} {}; retry in {} ms", e.sensor.name(), s, (e.nextDue - now) / 1_000_000);
            setStatus(e, s);
        }
    }

    private void setStatus(Entry e, SensorStatus s) {
        e.status = s;
        listener.onStatus(e.sensor.name(), s);
    }

    /** Starts one polling thread per sensor. */
    public synchronized void start(ThreadFactory factory) {
        if (running) {
            return;
        }
        running = true;
        for (Entry e : entries) {
            Thread t = factory.newThread(() -> {
                while (running) {
                    long now = clock.nanos();
                    long wait = e.nextDue - now;
                    if (wait <= 0) {
                        runOnce(e, now);
                    } else {
                        LockSupport.parkNanos(wait);
                    }
                }
            });
            t.setName("sensor-" + e.sensor.name());
            threads.add(t);
            t.start();
        }
    }

    /** Stops the polling threads and waits up to {@code timeout} for them. */
    public synchronized void stop(Duration timeout) throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            LockSupport.unpark(t);
            t.join(timeout.toMillis());
        }
        threads.clear();
    }

    /** Current status of every sensor, in the order they were added. */
    public Map<String, SensorStatus> statuses() {
        Map<String, SensorStatus> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            m.put(e.sensor.name(), e.status);
        }
        return m;
    }

    /** Counters of one sensor: successful polls, faults, recoveries, and the last fault (null if none). */
    public record Counters(long polls, long faults, long recoveries, SensorStatus lastFault) {
    }

    public Counters counters(String sensor) {
        for (Entry e : entries) {
            if (e.sensor.name().equals(sensor)) {
                return new Counters(e.polls, e.faults, e.recoveries, e.lastFault);
            }
        }
        throw new IllegalArgumentException("no sensor " + sensor);
    }
}
