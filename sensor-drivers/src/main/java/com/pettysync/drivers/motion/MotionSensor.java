package com.pettysync.drivers.motion;

import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;
import java.util.List;

/** An accelerometer + gyroscope with an on-chip step counter. */
public interface MotionSensor extends Sensor {

    /** Output data rate in samples per second. */
    int sampleRate();

    /** The samples that became ready since the last read (possibly none). */
    List<MotionSample> read() throws SensorFault;

    /** Steps counted by the part since {@link #open()}, extended past the part's 16-bit counter. */
    long stepCount() throws SensorFault;
}
