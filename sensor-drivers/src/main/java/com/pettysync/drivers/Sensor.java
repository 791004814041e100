package com.pettysync.drivers;

/**
 * What every sensor driver offers besides its samples: a name, a way to (re)identify and configure the part, and
 * its current status.
 *
 * <p>Contract: {@link #open()} finds the part, checks its identity and configures it; it is also how a faulted
 * sensor is retried, so it must be safe to call again at any time. Reads throw {@link SensorFault} and leave the
 * driver ready for another {@code open()}. A driver never blocks longer than one bus transfer and never owns a
 * thread; scheduling and retry live in {@link com.pettysync.drivers.poll.SensorPoller}.
 */
public interface Sensor {

    /** Short stable name: {@code hr}, {@code motion}, {@code gnss}, {@code mic}, {@code battery}. */
    String name();

    /** Identifies and configures the part. */
    void open() throws SensorFault;

    /** The outcome of the last open or read. */
    SensorStatus status();
}
