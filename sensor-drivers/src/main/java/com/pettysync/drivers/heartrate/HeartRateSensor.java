package com.pettysync.drivers.heartrate;

import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;

/** A PPG front end delivering red/IR samples at a fixed rate. */
public interface HeartRateSensor extends Sensor {

    /** Output sample rate in samples per second. */
    int sampleRate();

    /** Drains what the part buffered since the last read (possibly nothing). */
    PpgBatch read() throws SensorFault;

    /**
     * Returns the most recent completed die-temperature conversion in °C (NaN before the first one) and starts the
     * next conversion.
     */
    double dieTemperature() throws SensorFault;
}
