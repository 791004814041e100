package com.pettysync.agent.window;

import com.pettysync.contract.telemetry.DeviceStatus;

/**
 * Optionally implemented by a {@link WindowInputs.Source} that knows why a sensor faulted: the driver's fault code
 * for a fault flag of the window it just collected, carried as the second value of the sensor-fault event
 * (contract §4 type 7, {@code [sensor_bit, code]}); 0 when unknown.
 */
@FunctionalInterface
public interface FaultCodes {
    int codeOf(DeviceStatus.Flag faultFlag);
}
