package com.pettysync.agent.sensing;

import com.pettysync.agent.config.AgentConfig;
import java.time.Clock;

/**
 * The one place where the agent's sensing is chosen: {@code "sensors": "real"} opens the collar's parts
 * ({@link HardwareWindowSource}, one polling thread per part on the real clock), {@code "simulated"} the twins of a
 * simulated dog ({@link TwinWindowSource}) running in real time on {@code clock}, so {@code --simulated} behaves as
 * a collar does (a fix every 10 s, events as they happen). Tests that need deterministic twins build a
 * {@link TwinWindowSource} and step it on a simulated clock instead.
 */
public final class Sensing {
    /** Home of the simulated dog (the behaviour model walks it from here). */
    public static final double HOME_LAT = 13.7563;
    public static final double HOME_LON = 100.5018;

    private Sensing() {
    }

    /** The source for {@code config} with the bundled vocalisation model; the caller closes it after the agent. */
    public static CollarSource open(AgentConfig config, Clock clock) {
        return open(config, clock, VocalModel.bundled());
    }

    /**
     * The source for {@code config} classifying with {@code model} (closed with the source); the caller closes it
     * after the agent.
     */
    public static CollarSource open(AgentConfig config, Clock clock, VocalModel model) {
        if (config.sensors() == AgentConfig.Sensors.REAL) {
            return HardwareWindowSource.open(config.hardware(), clock, model);
        }
        TwinWindowSource twins = TwinWindowSource.create(config.thingName(), HOME_LAT, HOME_LON, model);
        twins.runInRealTime(clock);
        return twins;
    }
}
