package com.pettysync.drivers.battery;

import com.pettysync.drivers.Sensor;
import com.pettysync.drivers.SensorFault;

/** A fuel gauge. */
public interface BatterySensor extends Sensor {

    BatteryReading read() throws SensorFault;
}
