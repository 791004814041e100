package com.pettysync.agent.runtime;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.uplink.PahoBrokerSession;
import com.pettysync.agent.uplink.PemTls;
import com.pettysync.agent.window.ClockSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent as it runs on a collar (simulated sensors, 5 s windows so frames keep flowing), connected to the
 * bench broker over mutual TLS. Prints the time from JVM start to the first PUBACK, then "ready".
 * Arguments: data directory, broker URI, certificate, key, CA.
 */
public final class AgentChild {
    /**
     * HiveMQ disconnects a client that publishes to a topic starting with '$' (reason 0x82), so the shadow's
     * {@code $aws/...} traffic is answered here instead: such publishes get PUBACK 0 locally, such subscriptions are
     * skipped. Everything else goes to the broker.
     */
    static com.pettysync.agent.uplink.BrokerSession withoutDollarTopics(com.pettysync.agent.uplink.BrokerSession s) {
        return new com.pettysync.agent.uplink.BrokerSession() {
            private Listener listener;

            @Override
            public void connect(Listener l) throws com.pettysync.agent.uplink.BrokerException {
                listener = l;
                s.connect(l);
            }

            @Override
            public void publish(long token, String topic, byte[] payload)
                    throws com.pettysync.agent.uplink.BrokerException {
                if (topic.startsWith("$")) {
                    listener.published(token, 0, null);
                } else {
                    s.publish(token, topic, payload);
                }
            }

            @Override
            public void subscribe(java.util.List<String> filters) throws com.pettysync.agent.uplink.BrokerException {
                java.util.List<String> plain = filters.stream().filter(f -> !f.startsWith("$")).toList();
                if (!plain.isEmpty()) {
                    s.subscribe(plain);
                }
            }

            @Override
            public void close() {
                s.close();
            }
        };
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"collar-bench1","certificate":"%s","privateKey":"%s",
                 "caCertificate":"%s","dataDirectory":"%s","windowS":5,"sensors":"simulated"}"""
                .formatted(args[2], args[3], args[4], dir.resolve("data")), dir);
        // a frame waiting from before the (re)start, as on a collar that was offline: measures start to first PUBACK
        try (var o = com.pettysync.agent.outbox.OutboxStore.open(c.dataDirectory(),
                com.pettysync.agent.outbox.OutboxStore.Options.withCapacity(100), Clock.systemUTC())) {
            o.append(com.pettysync.agent.outbox.FrameKind.TELEMETRY, (seq, ctx) ->
                    com.pettysync.contract.telemetry.TelemetryFrameCodec.encode(
                            com.pettysync.contract.telemetry.TelemetrySummary.of(seq, 1_767_225_600L, 300)));
        }
        var tls = PemTls.socketFactory(c.certificate(), c.privateKey(), c.caCertificate(), false);
        // the real --simulated pipeline: sensor twins -> drivers -> edge-ml (TFLite loaded once)
        com.pettysync.agent.sensing.TwinWindowSource sensors =
                com.pettysync.agent.sensing.TwinWindowSource.create(c.thingName(), 13.7563, 100.5018);
        Agent agent = Agent.start(c, Clock.systemUTC(), sensors, () -> ClockSource.NTP,
                () -> withoutDollarTopics(new PahoBrokerSession(new PahoBrokerSession.Options(args[1], c.thingName(), tls, 1200, Duration.ofSeconds(10)))));
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();
        while (agent.status().path("uplink").path("acknowledged").asLong() < 1) {
            LockSupport.parkNanos(5_000_000);
        }
        System.out.println("first-puback-ms " + Duration.between(jvmStart, Instant.now()).toMillis());
        System.out.println("ready");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            sensors.close();
        }));
        Thread.sleep(Long.MAX_VALUE);
    }
}
