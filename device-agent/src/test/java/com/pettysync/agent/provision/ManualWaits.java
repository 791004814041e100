package com.pettysync.agent.provision;

import com.pettysync.agent.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** {@link Waits} that never block: a wait that is not already over moves the manual clock to its deadline. */
final class ManualWaits implements Waits {
    final MutableClock clock;
    /** Every wait that moved the clock, by how much. */
    final List<Duration> waited = new ArrayList<>();

    ManualWaits(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void until(Instant deadline, BooleanSupplier done) {
        if (!done.getAsBoolean() && deadline.isAfter(clock.instant())) {
            waited.add(Duration.between(clock.instant(), deadline));
            clock.set(deadline);
        }
    }

    @Override
    public void wake() {
    }
}
