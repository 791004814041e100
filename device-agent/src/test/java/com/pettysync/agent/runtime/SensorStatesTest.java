package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.drivers.FaultCode;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.twin.TwinFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each sensor's state (ok / fault code) reaches the status file that {@code pettysync agent status} reads. */
class SensorStatesTest {
    @TempDir
    Path dir;

    @Test
    void statesAreWrittenByNameWithTheDriverFaultCode() {
        ObjectNode s = StatusFile.sensorStates(Map.of("imu", SensorStatus.OK,
                "hr", SensorStatus.fault(FaultCode.NO_ACK, "no ACK at 0x57")));
        assertEquals(List.of("hr", "imu"), iterator(s));
        assertEquals("ok", s.path("imu").path("state").asText());
        assertEquals("fault", s.path("hr").path("state").asText());
        assertEquals(FaultCode.NO_ACK.code(), s.path("hr").path("code").asInt());
        assertEquals("no_ack", s.path("hr").path("fault").asText());
        assertEquals("no ACK at 0x57", s.path("hr").path("detail").asText());
    }

    @Test
    void theAgentOnTheTwinsReportsAFaultedSensorInItsStatusFile() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"collar-states1","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated"}""", dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        try (TwinWindowSource sensors = TwinWindowSource.create("collar-states1", 52.52, 13.405)) {
            sensors.inject("hr", TwinFault.NACK);
            Agent agent = Agent.start(c, Clock.systemUTC(), sensors, () -> ClockSource.NTP, broker);
            try {
                Await.until("the hr fault in the status", () -> "fault".equals(
                        agent.status().path("sensors").path("states").path("hr").path("state").asText()));
            } finally {
                agent.close(); // writes the status file
            }
        }
        JsonNode states = StatusFile.read(c.dataDirectory()).path("sensors").path("states");
        assertEquals(FaultCode.NO_ACK.code(), states.path("hr").path("code").asInt());
        assertEquals("ok", states.path("motion").path("state").asText(), states.toString());
    }

    private static List<String> iterator(ObjectNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
