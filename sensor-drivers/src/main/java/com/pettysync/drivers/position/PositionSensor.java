package com.pettysync.drivers.position;

import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;
import java.util.List;

/** A GNSS receiver delivering fixes. */
public interface PositionSensor extends Sensor {

    /** The fixes of epochs completed since the last read (possibly none). */
    List<Fix> read() throws SensorFault;

    /** Switches the receiver's power mode. */
    void setPowerMode(GnssPowerMode mode) throws SensorFault;

    GnssPowerMode powerMode();

    /** Whether the receiver acknowledged the last {@link #setPowerMode} (a command it never answered was lost). */
    boolean powerModeConfirmed();

    NmeaCounters counters();
}
