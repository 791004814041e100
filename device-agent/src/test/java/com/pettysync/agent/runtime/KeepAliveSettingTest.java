package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.window.ClockSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shadow's {@code keepAliveS} changes what the collar does: the next connection is set up with it (the value the
 * agent hands Paho, which puts it in CONNECT: {@code PahoBrokerSessionTest.theSessionsKeepAliveIsWhatTheBrokerReceivesInConnect}
 * against a real broker), not only reported.
 */
class KeepAliveSettingTest {
    static final String THING = "collar-keepalive";

    @TempDir
    Path dir;

    @Test
    void aDeltaKeepAliveIsTheKeepAliveOfTheNextConnection() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"%s","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "outbox":{"drainPerSecond":100}}""".formatted(THING), dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        List<Integer> keepAlives = new CopyOnWriteArrayList<>();
        Agent agent = Agent.startWithKeepAlive(c, Clock.systemUTC(), new SimulatedWindowSource(THING, 137563000,
                1005018000), () -> ClockSource.NTP, keepAliveS -> {
                    keepAlives.add(keepAliveS);
                    return broker.get();
                });
        try {
            Await.until("connected", () -> broker.current() != null && broker.current().connected);
            int configured = c.keepAliveS();
            assertEquals(configured, keepAlives.getFirst(), "the first connection: agent.json's keep-alive");
            broker.current().listener.message("$aws/things/" + THING + "/shadow/name/config/update/delta",
                    "{\"state\":{\"keepAliveS\":60},\"version\":2}".getBytes(StandardCharsets.UTF_8));
            Await.until("the delta applied", () -> agent.status().toString().contains("\"keepAliveS\":60")
                    || broker.allPublishes().stream().anyMatch(p -> p.topic().endsWith("/shadow/name/config/update")
                    && new String(p.payload(), StandardCharsets.UTF_8).contains("\"keepAliveS\":60")));
            int before = keepAlives.size();
            broker.current().cut();
            Await.until("reconnected", () -> keepAlives.size() > before && broker.current().connected);
            assertEquals(60, keepAlives.getLast(), "the reconnect uses the shadow's keepAliveS: " + keepAlives);
        } finally {
            agent.close();
        }
    }
}
