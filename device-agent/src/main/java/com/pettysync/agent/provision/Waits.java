package com.pettysync.agent.provision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * How {@link ClaimProvisioning} waits for a reply or a back-off. {@link #on(Clock)} blocks on the clock; a test
 * answers at once by moving its manual clock to the deadline, so no test sleeps and none depends on timing.
 */
public interface Waits {
    /** Returns when {@code done} holds, the clock reaches {@code deadline}, or {@link #wake()} is called. */
    void until(Instant deadline, BooleanSupplier done) throws InterruptedException;

    /** Ends a wait in progress early (a reply arrived, a stop was asked). Any thread. */
    void wake();

    /** Real waiting on {@code clock}: a condition woken by {@link #wake()}. */
    static Waits on(Clock clock) {
        return new Waits() {
            private final ReentrantLock lock = new ReentrantLock();
            private final Condition changed = lock.newCondition();
            private boolean woken;

            @Override
            public void until(Instant deadline, BooleanSupplier done) throws InterruptedException {
                lock.lock();
                try {
                    while (!woken && !done.getAsBoolean()) {
                        long nanos = Duration.between(clock.instant(), deadline).toNanos();
                        if (nanos <= 0) {
                            break;
                        }
                        changed.awaitNanos(nanos);
                    }
                    woken = false;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void wake() {
                lock.lock();
                try {
                    woken = true;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }
}
