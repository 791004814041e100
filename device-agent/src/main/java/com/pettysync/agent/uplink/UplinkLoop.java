package com.pettysync.agent.uplink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.Logger;

/**
 * The thread that drives an {@link Uplink}: calls {@link Uplink#tick()}, then sleeps until the time it asked for
 * or until something wakes it (a new frame, a PUBACK, a lost connection). One thread for the whole uplink.
 *
 * <p>A tick that throws is logged and retried after a second; the loop only ends through {@link #close()}, which
 * stops the uplink (disconnecting it; frames without PUBACK stay in the outbox) within the given time.
 */
public final class UplinkLoop implements AutoCloseable {
    private final Uplink uplink;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private boolean woken;
    private volatile boolean running = true;
    private final Thread thread;

    public UplinkLoop(Uplink uplink, Clock clock) {
        this.uplink = uplink;
        this.clock = clock;
        uplink.setWaker(this::wake);
        this.thread = Thread.ofPlatform().name("uplink").daemon(true).unstarted(this::run);
    }

    public UplinkLoop start() {
        thread.start();
        return this;
    }

    /** Makes the loop tick now. Any thread. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            work.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            Instant next;
            try {
                next = uplink.tick();
            } catch (RuntimeException e) {
                Logger.error(e, "uplink tick failed; retrying in 1 s");
                next = clock.instant().plusSeconds(1);
            }
            lock.lock();
            try {
                while (running && !woken) {
                    long nanos = next.equals(Instant.MAX) ? TimeUnit.SECONDS.toNanos(60)
                            : Duration.between(clock.instant(), next).toNanos();
                    if (nanos <= 0) {
                        break;
                    }
                    work.awaitNanos(nanos);
                }
                woken = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Stops the loop and the uplink, waiting at most {@code timeout}. */
    public void close(Duration timeout) {
        running = false;
        wake();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uplink.stop();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }
}
