package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.twin.TwinFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent on the sensor twins (what {@code --simulated} runs), 1 s windows, an in-memory broker. */
class TwinAgentTest {
    @TempDir
    Path dir;

    /** What a test does with the running agent and its broker. */
    interface Check {
        void run(Agent agent, FakeBroker broker) throws Exception;
    }

    /** Runs the agent on twins of {@code thing} with {@code sensor} faulted by {@code fault}, 1 s windows. */
    void withAgent(String thing, String sensor, TwinFault fault, Check check) throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"%s","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100}}""".formatted(thing), dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        try (TwinWindowSource sensors = TwinWindowSource.create(thing, 52.52, 13.405)) {
            sensors.inject(sensor, fault);
            Agent agent = Agent.start(c, Clock.systemUTC(), sensors, () -> ClockSource.NTP, broker);
            try {
                check.run(agent, broker);
            } finally {
                agent.close();
            }
        }
    }

    @Test
    void aFaultedTwinSetsTheFlagRaisesTheEventAndTheAgentKeepsPublishing() throws Exception {
        withAgent("collar-twin2", "hr", TwinFault.NACK, (agent, broker) -> {
            Await.until("a sensor-fault event at the broker", () -> !faultEvents(broker).isEmpty());
            Await.until("two telemetry frames", () -> telemetry(broker).size() >= 2);
            EventFrame e = faultEvents(broker).get(0);
            assertEquals(List.of(16L, (long) FaultCode.NO_ACK.code()), e.data(), "[sensor_bit, driver code]");
            assertEquals(1, faultEvents(broker).size(), "one event for a fault that persists");
            assertTrue(telemetry(broker).stream().allMatch(f -> f.dev().flags().contains(
                    DeviceStatus.Flag.FAULT_HR) && f.hr() == null), "every frame flags the dead PPG");
            assertEquals(0, agent.sensorRestarts(), "a sensor fault is not a crash of the loop");
            assertTrue(telemetry(broker).stream().allMatch(f -> f.fw().model()
                    == com.pettysync.ml.vocal.VocalizationModel.bundled().metadata().version()
                    && f.fw().model() > 0), "fw.model is the bundled classifier's version");
        });
    }

    @Test
    void aMissingFuelGaugeIsASensorFaultNotALowBatteryAlarm() throws Exception {
        withAgent("collar-twin3", "battery", TwinFault.NACK, (agent, broker) -> {
            Await.until("three telemetry frames", () -> telemetry(broker).size() >= 3);
            assertTrue(telemetry(broker).stream().allMatch(f -> f.dev().batteryPct() == 0),
                    "no gauge reading: 0 % in the frame");
            List<EventFrame> low = broker.allPublishes().stream().filter(p -> p.topic().endsWith("/events"))
                    .map(p -> EventFrameCodec.decode(p.payload())).filter(e -> e.type() == EventType.LOW_BATTERY)
                    .toList();
            assertEquals(List.of(), low, "no low-battery alarm from a gauge that does not answer");
        });
    }

    static List<com.pettysync.contract.telemetry.TelemetrySummary> telemetry(FakeBroker b) {
        return b.allPublishes().stream().filter(p -> p.topic().endsWith("/telemetry"))
                .map(p -> TelemetryFrameCodec.validate(TelemetryFrameCodec.decode(p.payload()))).toList();
    }

    static List<EventFrame> faultEvents(FakeBroker b) {
        return b.allPublishes().stream().filter(p -> p.topic().endsWith("/events"))
                .map(p -> EventFrameCodec.decode(p.payload())).filter(e -> e.type() == EventType.SENSOR_FAULT)
                .toList();
    }
}
