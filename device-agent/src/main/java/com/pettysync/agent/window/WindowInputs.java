package com.pettysync.agent.window;

import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Location;
import com.pettysync.contract.telemetry.Mood;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the sensor loops and edge-ml computed for one window; null sections mean "no data" (absent in the frame).
 *
 * @param hr         heart-rate summary, or null when no valid beat
 * @param act        activity summary, or null
 * @param loc        newest fix with its trail, or null when no fix
 * @param mood       mood estimate and vocal episode counts, or null
 * @param batteryPct battery state of charge
 * @param batteryMv  battery voltage
 * @param tempDc     temperature, deci-°C
 * @param rssiDbm    radio signal
 * @param charging   on the charger
 * @param faults     sensor fault flags ({@code FAULT_HR}, {@code FAULT_IMU}, {@code FAULT_GNSS}, {@code FAULT_MIC})
 */
public record WindowInputs(HeartRate hr, Activity act, Location loc, Mood mood, int batteryPct, int batteryMv,
        int tempDc, int rssiDbm, boolean charging, Set<DeviceStatus.Flag> faults) {
    public WindowInputs {
        faults = faults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(faults));
    }

    /** Only device readings: what a frame carries when the sensors gave nothing usable. */
    public WindowInputs deviceOnly() {
        return new WindowInputs(null, null, null, null, batteryPct, batteryMv, tempDc, rssiDbm, charging, faults);
    }

    /** Supplies the inputs of the window {@code [t0, t0 + dur)} when it closes. */
    @FunctionalInterface
    public interface Source {
        WindowInputs collect(long t0, int dur);

        /** Version of the on-device model behind the mood section (frame {@code fw.model}); 0 when there is none. */
        default long modelVersion() {
            return 0;
        }
    }
}
