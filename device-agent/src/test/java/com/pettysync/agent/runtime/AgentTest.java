package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.agent.sensing.CollarSource;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole agent on its own threads with a real clock, 1 s windows and an in-memory broker. */
class AgentTest {
    @TempDir
    Path dir;

    AgentConfig config() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        return new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"collar-agent1","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100}}""", dir);
    }

    @Test
    void makesAFramePerWindowPublishesItAndStopsCleanly() throws Exception {
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        AgentConfig c = config();
        Agent agent = Agent.start(c, Clock.systemUTC(), new SimulatedWindowSource("collar-agent1", 137563000,
                1005018000), () -> ClockSource.NTP, broker);
        try {
            Await.until("three telemetry frames at the broker", () -> broker.allPublishes().stream()
                    .filter(p -> p.topic().equals("pettysync/v1/collar-agent1/telemetry")).count() >= 3);
            Await.until("acknowledged frames leave the outbox", () -> agent.status().path("uplink")
                    .path("acknowledged").asLong() >= 3);
            List<TelemetrySummary> frames = broker.allPublishes().stream()
                    .filter(p -> p.topic().endsWith("/telemetry"))
                    .map(p -> TelemetryFrameCodec.validate(TelemetryFrameCodec.decode(p.payload()))).toList();
            assertEquals(0, frames.get(0).seq());
            for (int i = 1; i < frames.size(); i++) {
                assertEquals(frames.get(i - 1).seq() + 1, frames.get(i).seq());
                assertTrue(frames.get(i).t0() > frames.get(i - 1).t0());
            }
            assertTrue(broker.allPublishes().stream().anyMatch(p -> p.topic().equals(
                    "$aws/things/collar-agent1/shadow/name/config/get")), "shadow get on connect");
        } finally {
            agent.close();
        }
        ObjectNode status = StatusFile.read(c.dataDirectory());
        assertEquals("collar-agent1", status.path("thing").asText());
        assertTrue(status.path("outbox").path("durable").asBoolean());
        assertEquals("simulated", status.path("sensors").path("source").asText());
    }

    @Test
    void aCrashingSensorLoopIsRestartedAndTheAgentKeepsGoing() throws Exception {
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        AtomicInteger calls = new AtomicInteger();
        SimulatedWindowSource sim = new SimulatedWindowSource("collar-agent1", 137563000, 1005018000);
        CollarSource flaky = (t0, dur) -> {
            if (calls.incrementAndGet() <= 2) {
                throw new IllegalStateException("I2C bus fault (simulated)");
            }
            return sim.collect(t0, dur);
        };
        Agent agent = Agent.start(config(), Clock.systemUTC(), flaky, () -> ClockSource.NTP, broker);
        try {
            Await.until("a frame after the crashes", () -> broker.allPublishes().stream()
                    .anyMatch(p -> p.topic().endsWith("/telemetry")));
            assertEquals(2, agent.sensorRestarts());
            assertTrue(agent.status().path("sensors").path("lastError").asText().contains("I2C bus fault"));
        } finally {
            agent.close();
        }
    }

    @Test
    void resendsWhatWasInTheOutboxWhenItStartsAgain() throws Exception {
        FakeBroker offline = new FakeBroker();
        offline.refuseNextConnects = Integer.MAX_VALUE;
        AgentConfig c = config();
        Agent first = Agent.start(c, Clock.systemUTC(), new SimulatedWindowSource("collar-agent1", 137563000,
                1005018000), () -> ClockSource.UNSYNCED, offline);
        Await.until("two frames made offline", () -> first.outbox().size() >= 2);
        first.close();
        int pending;
        try (var o = com.pettysync.agent.outbox.OutboxStore.open(c.dataDirectory(),
                com.pettysync.agent.outbox.OutboxStore.Options.withCapacity(100), Clock.systemUTC())) {
            // telemetry only: the synthetic battery drains with the hour of day, so a low-battery event may be here too
            pending = (int) o.pendingAfter(0, 10_000).stream()
                    .filter(e -> e.kind() == com.pettysync.agent.outbox.FrameKind.TELEMETRY).count();
        }
        FakeBroker online = new FakeBroker();
        online.autoAck = true;
        Agent second = Agent.start(c, Clock.systemUTC(), new SimulatedWindowSource("collar-agent1", 137563000,
                1005018000), () -> ClockSource.NTP, online);
        try {
            Await.until("the offline frames sent", () -> online.allPublishes().stream()
                    .filter(p -> p.topic().endsWith("/telemetry")).count() >= pending);
            List<TelemetrySummary> frames = online.allPublishes().stream().filter(p -> p.topic().endsWith("/telemetry"))
                    .map(p -> TelemetryFrameCodec.decode(p.payload())).toList();
            for (int i = 0; i < pending; i++) {
                assertEquals(i, frames.get(i).seq(), "oldest first");
                assertTrue(frames.get(i).dev().flags().contains(
                        com.pettysync.contract.telemetry.DeviceStatus.Flag.CLOCK_UNSYNCED), "pending " + pending + " " + frames);
            }
        } finally {
            second.close();
        }
    }
}
