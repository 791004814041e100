package com.pettysync.simulator.fleet;

import com.pettysync.simulator.cloud.LocalIotCore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Applies the run's {@link Fault}s at their simulated times (broker restart, collars offline, a bad network, collars
 * killed mid-publish) and keeps one line per fault as applied, for the report. Collar-level changes run on the
 * collar's scheduler thread. Its own threads: 4, so a broker restart (seconds) does not delay the faults after it.
 */
final class FaultInjector implements AutoCloseable {
    private final List<Fault> faults;
    private final double speedup;
    private final SimulatedClock clock;
    private final LocalIotCore cloud; // null with an endpoint
    private final ImpairedLink link; // null without net: faults
    private final Supplier<List<VirtualCollar>> collars;
    private final PrintStream progress;
    private final java.util.function.Consumer<VirtualCollar> killed;
    private final List<String> applied = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4,
            r -> Thread.ofPlatform().name("fleet-faults").daemon(true).unstarted(r));

    FaultInjector(List<Fault> faults, double speedup, SimulatedClock clock, LocalIotCore cloud, ImpairedLink link,
            Supplier<List<VirtualCollar>> collars, PrintStream progress,
            java.util.function.Consumer<VirtualCollar> killed) {
        this.faults = List.copyOf(faults);
        this.speedup = speedup;
        this.clock = clock;
        this.cloud = cloud;
        this.link = link;
        this.collars = collars;
        this.progress = progress;
        this.killed = killed;
    }

    /** Schedules every fault, counted from now (the simulated clock's origin). */
    void schedule() {
        for (Fault f : faults) {
            timer.schedule(() -> apply(f), realNanos(f.at()), TimeUnit.NANOSECONDS);
        }
    }

    /** The faults as applied so far, one line each. */
    List<String> applied() {
        synchronized (applied) {
            return List.copyOf(applied);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private long realNanos(java.time.Duration simulated) {
        return (long) (simulated.toNanos() / speedup);
    }

    private void apply(Fault f) {
        String when = "sim +" + FleetSimulation.fmt(clock.elapsed());
        switch (f.kind()) {
            case BROKER_RESTART -> {
                long t0 = System.nanoTime();
                cloud.restart();
                note(String.format(Locale.ROOT, "%s: broker restarted (down %.1f s real)", when,
                        (System.nanoTime() - t0) / 1e9));
            }
            case OFFLINE -> {
                List<VirtualCollar> chosen = pick(f.fraction());
                for (VirtualCollar c : chosen) {
                    onThread(c, c::offline);
                }
                note(String.format(Locale.ROOT, "%s: %d collars offline for %s", when, chosen.size(),
                        FleetSimulation.fmt(f.length())));
                timer.schedule(() -> {
                    for (VirtualCollar c : chosen) {
                        onThread(c, c::online);
                    }
                    note("sim +" + FleetSimulation.fmt(clock.elapsed()) + ": " + chosen.size()
                            + " collars back online");
                }, realNanos(f.length()), TimeUnit.NANOSECONDS);
            }
            case NETWORK -> {
                link.impair(f.delay().toMillis(), f.fraction());
                note(String.format(Locale.ROOT, "%s: network impaired for %s: %d ms one way, %.1f %% of chunks "
                        + "stalled %d ms", when, FleetSimulation.fmt(f.length()), f.delay().toMillis(),
                        f.fraction() * 100, ImpairedLink.RTO_NANOS / 1_000_000));
                timer.schedule(() -> {
                    link.clear();
                    ImpairedLink.Stats st = link.stats();
                    note(String.format(Locale.ROOT, "sim +%s: network clean again (link so far: %d chunks, %d "
                            + "stalled, %d connections)", FleetSimulation.fmt(clock.elapsed()), st.chunks(),
                            st.stalled(), st.connections()));
                }, realNanos(f.length()), TimeUnit.NANOSECONDS);
            }
            case KILL -> {
                int n = (int) Math.max(1, Math.round(f.fraction()));
                List<VirtualCollar> all = collars.get();
                for (int k = 0; k < n && k < all.size(); k++) {
                    killMidPublish(all.get((k * 7919 + 13) % all.size()), 0, when);
                }
            }
        }
    }

    /** Kills {@code c} once it has a publish without PUBACK (checked on its thread; up to ~2 s real of tries). */
    private void killMidPublish(VirtualCollar c, int tries, String when) {
        onThread(c, () -> {
            if (c.inFlight() > 0 || tries >= 2000) {
                int inFlight = c.inFlight();
                killed.accept(c);
                c.killAndRestart();
                note(String.format(Locale.ROOT, "%s: %s killed with %d publish(es) awaiting PUBACK, restarted",
                        when, c.thing, inFlight));
            } else {
                Thread.ofVirtual().start(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    killMidPublish(c, tries + 1, when);
                });
            }
        });
    }

    private List<VirtualCollar> pick(double fraction) {
        List<VirtualCollar> all = collars.get();
        int n = (int) Math.round(all.size() * fraction);
        List<VirtualCollar> chosen = new ArrayList<>();
        double step = all.size() / (double) Math.max(1, n);
        for (int k = 0; k < n; k++) {
            chosen.add(all.get((int) (k * step)));
        }
        return chosen;
    }

    private static void onThread(VirtualCollar c, Runnable r) {
        c.scheduler.post(() -> {
            r.run();
            c.wake();
        });
    }

    private void note(String line) {
        applied.add(line);
        progress.println("fault: " + line);
        Logger.info("fleet fault: {}", line);
    }
}
