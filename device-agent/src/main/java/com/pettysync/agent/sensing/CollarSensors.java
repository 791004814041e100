package com.pettysync.agent.sensing;

import com.pettysync.drivers.battery.BatterySensor;
import com.pettysync.drivers.heartrate.HeartRateSensor;
import com.pettysync.drivers.motion.MotionSensor;
import com.pettysync.drivers.position.PositionSensor;
import com.pettysync.drivers.voice.VoiceSensor;
import java.util.Objects;

/** The five parts of a collar, as their drivers: the real parts on their buses, or the twins' drivers. */
public record CollarSensors(HeartRateSensor heartRate, MotionSensor motion, PositionSensor gnss,
        VoiceSensor microphone, BatterySensor battery) {

    public CollarSensors {
        Objects.requireNonNull(heartRate, "heartRate");
        Objects.requireNonNull(motion, "motion");
        Objects.requireNonNull(gnss, "gnss");
        Objects.requireNonNull(microphone, "microphone");
        Objects.requireNonNull(battery, "battery");
    }
}
