package com.pettysync.simulator.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;

/**
 * One thread that drives many {@link VirtualCollar}s over the simulated clock: a priority queue of "next due"
 * times, a queue of collars woken by broker callbacks, and a queue of tasks (faults, connect completions) that must
 * run on the collars' thread. No thread per collar; a collar is only ever touched by its scheduler's thread.
 *
 * <p>A tick that throws is logged and the collar is retried one simulated second later; the scheduler ends only
 * through {@link #close}.
 */
final class FleetScheduler implements AutoCloseable {
    private record Due(Instant at, VirtualCollar collar, long version) {
    }

    private static final long MAX_PARK_NANOS = 20_000_000;

    private final SimulatedClock clock;
    private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.at().compareTo(b.at()));
    private final java.util.Map<VirtualCollar, Long> versions = new java.util.HashMap<>();
    private final ConcurrentLinkedQueue<VirtualCollar> woken = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<VirtualCollar> collars = new ArrayList<>();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;

    FleetScheduler(String name, SimulatedClock clock) {
        this.clock = clock;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    FleetScheduler start() {
        thread.start();
        return this;
    }

    /** Any thread: adds a collar (its first tick comes at once). */
    void add(VirtualCollar collar) {
        collar.scheduler = this;
        post(() -> {
            collars.add(collar);
            count.incrementAndGet();
            versions.put(collar, 0L);
            tick(collar);
        });
    }

    /** Any thread: runs {@code task} on the scheduler thread. */
    void post(Runnable task) {
        tasks.add(task);
        signal();
    }

    /** Any thread: ticks {@code collar} soon. */
    void wake(VirtualCollar collar) {
        woken.add(collar);
        signal();
    }

    private void signal() {
        if (signalled.compareAndSet(false, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (running) {
            signalled.set(false);
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    Logger.error(e, "fleet task failed");
                }
            }
            VirtualCollar c;
            int budget = 10_000;
            while (budget-- > 0 && (c = woken.poll()) != null) {
                if (versions.containsKey(c)) {
                    tick(c);
                }
            }
            Instant now = clock.instant();
            Due d;
            while ((d = due.peek()) != null && !d.at().isAfter(now)) {
                due.poll();
                Long v = versions.get(d.collar());
                if (v != null && v == d.version()) {
                    tick(d.collar());
                }
            }
            if (!woken.isEmpty() || !tasks.isEmpty()) {
                continue;
            }
            long park = MAX_PARK_NANOS;
            if ((d = due.peek()) != null) {
                park = Math.min(park, clock.realNanosUntil(d.at()));
            }
            if (park > 0 && !signalled.get()) {
                LockSupport.parkNanos(this, park);
            }
        }
    }

    private void tick(VirtualCollar collar) {
        Instant next;
        try {
            next = collar.tick();
        } catch (RuntimeException e) {
            Logger.error(e, "collar {} tick failed; retrying in 1 s (simulated)", collar.thing);
            next = clock.instant().plusSeconds(1);
        }
        long v = versions.merge(collar, 1L, Long::sum);
        if (!next.equals(Instant.MAX)) {
            due.add(new Due(next, collar, v));
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

    /** Any thread: collars added so far. */
    int collarCount() {
        return count.get();
    }

    /** Scheduler thread only: the collars of this scheduler. */
    List<VirtualCollar> collars() {
        return collars;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
