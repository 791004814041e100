package com.pettysync.agent.sensing;

import com.pettysync.drivers.SensorStatus;
import java.util.Map;

/** A window source that knows its sensors' states (for {@code agent status}). */
public interface SensorStates {

    /** Current status of each sensor by name (empty before the first poll); a copy. */
    Map<String, SensorStatus> statuses();
}
