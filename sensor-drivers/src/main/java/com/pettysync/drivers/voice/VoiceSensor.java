package com.pettysync.drivers.voice;

import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;

/** A microphone delivering 16 kHz mono samples. */
public interface VoiceSensor extends Sensor {

    /** Up to {@code maxSamples} captured samples (possibly none). */
    AudioBlock read(int maxSamples) throws SensorFault;
}
