package com.pettysync.agent.ota;

import java.time.Duration;

/** Waits for a duration: the real thread sleep, or a simulated clock's advance in tests and the simulator. */
@FunctionalInterface
public interface Sleeper {
    /** The real one. */
    Sleeper REAL = d -> Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));

    void sleep(Duration d) throws InterruptedException;
}
