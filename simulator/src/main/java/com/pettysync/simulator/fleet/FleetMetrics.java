package com.pettysync.simulator.fleet;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Fleet-wide counters, updated from the event loop and the scheduler threads without locks, and the PUBACK latency
 * (publish handed to the client → PUBACK received, microseconds, HdrHistogram with 3 significant digits).
 */
public final class FleetMetrics {
    public final LongAdder framesMade = new LongAdder();
    public final LongAdder published = new LongAdder();
    public final LongAdder acknowledged = new LongAdder();
    public final LongAdder rejected = new LongAdder();
    public final LongAdder publishFailed = new LongAdder();
    public final LongAdder connectAttempts = new LongAdder();
    public final LongAdder connects = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final LongAdder connectionsLost = new LongAdder();
    public final LongAdder messageUnits = new LongAdder();
    public final LongAdder publishedBytes = new LongAdder();
    public final LongAdder kills = new LongAdder();
    private final Recorder latency = new Recorder(3);
    private final Histogram total = new Histogram(3);

    void recordPuback(long micros) {
        latency.recordValue(Math.max(1, micros));
    }

    /** The latencies since the last call (also added to the run's total). */
    public synchronized Histogram interval() {
        Histogram h = latency.getIntervalHistogram();
        total.add(h);
        return h;
    }

    /** All latencies so far. */
    public synchronized Histogram total() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }
}
