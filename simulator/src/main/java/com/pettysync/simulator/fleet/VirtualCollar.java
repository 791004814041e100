package com.pettysync.simulator.fleet;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.outbox.FrameKind;
import com.pettysync.agent.outbox.Outbox;
import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.TelemetryRelease;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.window.WindowAggregator;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.telemetry.Firmware;
import java.time.Instant;
import java.util.Random;
import java.util.function.Supplier;

/**
 * One simulated collar running the agent's own code: device-agent's {@link WindowAggregator} (window closes on the
 * simulated clock, contract encoder, outbox counters) and {@link Uplink} (back-off with full jitter, token bucket,
 * in-flight window, drain order) over an {@link Outbox} — nothing re-implemented. The outbox is the collar's view of
 * its fleet process's {@link ShardOutboxStore} (one SQLite database for every collar of the process: commit before
 * offer, delete after PUBACK, re-offer after a restart; see that class for what survives a killed process). What differs
 * from the agent process is the driving: instead of an {@code UplinkLoop} thread per collar, a shared
 * {@link FleetScheduler} thread calls {@link #tick}, and connects happen asynchronously through
 * {@link CollarSession} so that thread never waits for a CONNACK.
 *
 * <p>Confined to its scheduler thread: every method except {@link #wake} is called there only.
 */
public final class VirtualCollar {
    /** What a collar needs from the fleet. */
    interface Fleet {
        /** Starts an asynchronous connect for this collar (subject to the fleet's limit on concurrent connects). */
        void connect(VirtualCollar collar);

        FleetMetrics metrics();
    }

    final String thing;
    final int index;
    private final Supplier<Outbox> openOutbox;
    private final SimulatedClock clock;
    private final WindowInputs.Source source;
    private final Uplink.Settings settings;
    private final Fleet fleet;
    private final Firmware firmware;
    FleetScheduler scheduler;

    private Outbox outbox;
    private WindowAggregator aggregator;
    private Uplink uplink;
    private CollarSession prepared;
    private CollarSession current;
    private boolean connecting;
    private boolean offline;
    private boolean producing = true;
    private boolean stopped;
    long framesMade;
    long kills;
    long connectedNanos;
    private long connectedSince = -1;
    /** This collar's clip bytes per voiceUpload mode and energy account (the report's per-collar-day figures). */
    final CollarDayAccount day;

    VirtualCollar(String thing, int index, Supplier<Outbox> openOutbox, SimulatedClock clock,
            WindowInputs.Source source, Uplink.Settings settings, Firmware firmware, Fleet fleet) {
        this.thing = thing;
        this.index = index;
        this.openOutbox = openOutbox;
        this.clock = clock;
        this.source = source;
        this.settings = settings;
        this.firmware = firmware;
        this.fleet = fleet;
        this.day = new CollarDayAccount(CollarConfig.DEFAULTS, AgentConfig.Hardware.defaults().batteryMah());
        if (source instanceof Episode.Source episodes) {
            day.voiceSource = true;
            episodes.onEpisode(day::episode); // on this collar's scheduler thread, while a window is collected
        }
        boot();
        day.sample(clock.instant(), uplink.status());
    }

    /** Starts the agent's parts from what its outbox holds (first start, or after a kill). */
    private void boot() {
        outbox = openOutbox.get();
        // fw.model: the classifier's own version for a full-pipeline collar (as on the collar), else the fleet's
        Firmware fw = source.modelVersion() > 0 ? new Firmware(firmware.build(), source.modelVersion()) : firmware;
        aggregator = new WindowAggregator(outbox, source, () -> ClockSource.NTP, clock, () -> 300, () -> false, fw);
        String base = "pettysync/v1/" + thing;
        Supplier<com.pettysync.agent.uplink.BrokerSession> sessions = () -> {
            CollarSession s = prepared;
            prepared = null;
            if (s == null) {
                s = CollarSession.failed(new BrokerException("no connection prepared"), fleet.metrics());
            }
            current = s;
            return s;
        };
        uplink = new Uplink(outbox, sessions,
                e -> base + (e.kind() == FrameKind.TELEMETRY ? "/telemetry" : "/events"), settings, clock,
                new Random(index * 7919L + kills), null);
        uplink.setTelemetryRelease(TelemetryRelease.forThing(thing)); // contract §8: spread over up to 60 s
        uplink.setWaker(this::wake);
    }

    /** Any thread: have the scheduler tick this collar soon. */
    public void wake() {
        FleetScheduler s = scheduler;
        if (s != null) {
            s.wake(this);
        }
    }

    /** Does what is due at the simulated now; returns when it next wants to run. */
    Instant tick() {
        if (stopped) {
            return Instant.MAX;
        }
        Instant now = clock.instant();
        if (producing && aggregator.closeIfDue().isPresent()) {
            framesMade++;
            fleet.metrics().framesMade.increment();
            day.sample(now, uplink.status());
        }
        Instant next = producing ? aggregator.nextClose() : Instant.MAX;
        if (!uplink.connected() && prepared == null) {
            if (connecting) {
                return next; // the connect's completion wakes us
            }
            Instant attempt = uplink.status().nextAttempt();
            if (attempt != null && !now.isBefore(attempt)) {
                fleet.metrics().connectAttempts.increment();
                if (offline) {
                    fleet.metrics().connectFailures.increment();
                    prepared = CollarSession.failed(new BrokerException("network down (simulated offline)"),
                            fleet.metrics());
                } else {
                    connecting = true;
                    fleet.connect(this);
                    return next;
                }
            }
        }
        boolean was = uplink.connected();
        Instant want = uplink.tick();
        boolean is = uplink.connected();
        if (!was && is) {
            fleet.metrics().connects.increment();
            connectedSince = System.nanoTime();
        } else if (was && !is) {
            closeConnectedSpan();
        }
        idle = is && uplink.status().inFlight() == 0 && outbox.size() == 0;
        if (idle) {
            return next; // nothing to send until the next window or a broker event (which wakes us)
        }
        return want.isBefore(next) ? want : next;
    }

    /** Connected with nothing pending after the last tick (written by the scheduler thread). */
    volatile boolean idle;

    private void closeConnectedSpan() {
        if (connectedSince >= 0) {
            connectedNanos += System.nanoTime() - connectedSince;
            connectedSince = -1;
        }
    }

    /** Scheduler thread: the asynchronous connect finished (successfully or not). */
    void connectDone(CollarSession session) {
        connecting = false;
        if (stopped) {
            session.close();
            return;
        }
        prepared = session;
        wake(); // a wake that raced ahead of this task found the collar still connecting
    }

    /** Connected real time so far (for connection minutes, scaled by the speed-up). */
    long connectedNanos() {
        return connectedNanos + (connectedSince >= 0 ? System.nanoTime() - connectedSince : 0);
    }

    /** Any thread: connected at the end of the last tick. */
    boolean connectedNow() {
        return uplink.status().connected();
    }

    boolean connected() {
        return uplink.connected();
    }

    int inFlight() {
        return uplink.status().inFlight();
    }

    int backlog() {
        return outbox.size();
    }

    /** Scheduler thread: one line on where this collar stands (for a drain that did not finish). */
    String describe() {
        Uplink.Status st = uplink.status();
        return thing + ": connected=" + st.connected() + " connecting=" + connecting + " prepared=" + (prepared != null)
                + " offline=" + offline + " inFlight=" + st.inFlight() + " backlog=" + outbox.size() + " nextAttempt="
                + st.nextAttempt() + " connects=" + st.connects() + " failures=" + st.connectFailures() + " lastError="
                + st.lastError();
    }

    /** Offline fault: the network goes; reconnects fail until {@link #online}. */
    void offline() {
        offline = true;
        if (uplink.connected() && current != null) {
            current.cut("network down (simulated offline)");
        }
    }

    void online() {
        offline = false;
    }

    /**
     * Kill fault: the collar's process dies mid-publish — no more ticks of this uplink, the connection drops with
     * publishes still unacknowledged, the outbox is closed as a killed process leaves it (every committed frame
     * survives); then the agent starts again from what its outbox holds.
     */
    void killAndRestart() {
        kills++;
        fleet.metrics().kills.increment();
        if (current != null) {
            current.close();
        }
        closeConnectedSpan();
        current = null;
        prepared = null;
        outbox.close();
        boot();
    }

    /** End of the simulated run: no more windows; the uplink drains what is left. */
    void stopProducing() {
        producing = false;
    }

    void stop() {
        stopped = true;
        day.sample(clock.instant(), uplink.status());
        closeConnectedSpan();
        uplink.stop();
        outbox.close();
    }
}
