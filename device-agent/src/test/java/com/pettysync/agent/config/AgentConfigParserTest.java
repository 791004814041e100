package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigParserTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "-----BEGIN X-----\n-----END X-----\n");
        }
    }

    private static final String MINIMAL = """
            {"endpoint":"abc123-ats.iot.eu-west-1.amazonaws.com","thingName":"collar-0001",
             "certificate":"cert.pem","privateKey":"key.pem","caCertificate":"ca.pem","dataDirectory":"data"}""";

    private AgentConfig parse(String json) throws InvalidConfigException {
        return new AgentConfigParser().parse(json, dir);
    }

    private Map<String, String> problems(String json) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse(json));
        Map<String, String> byPath = new TreeMap<>();
        e.problems().forEach(p -> byPath.merge(p.path(), p.message(), (a, b) -> a + " | " + b));
        return byPath;
    }

    @Test
    void minimalConfigGetsDocumentedDefaults() throws Exception {
        AgentConfig c = parse(MINIMAL);
        assertEquals(8883, c.port());
        assertEquals(300, c.windowS());
        assertEquals(1200, c.keepAliveS());
        assertEquals(com.pettysync.contract.topic.TopicMode.DIRECT, c.topicMode());
        assertNull(c.basicIngestRule());
        assertEquals(AgentConfig.Sensors.REAL, c.sensors());
        assertEquals(new AgentConfig.Reconnect(1, 120), c.reconnect());
        assertEquals(10, c.outbox().maxInFlight());
        assertEquals(10, c.outbox().drainPerSecond());
        assertEquals(dir.resolve("cert.pem"), c.certificate());
        assertEquals(dir.resolve("data"), c.dataDirectory());
    }

    @Test
    void defaultOutboxHoldsThirtyDaysOfFiveMinuteWindows() throws Exception {
        AgentConfig c = parse(MINIMAL);
        int thirtyDays = 30 * 24 * 3600 / c.windowS();
        assertEquals(8640, thirtyDays);
        assertTrue(c.outbox().capacityFrames() >= thirtyDays, "capacity " + c.outbox().capacityFrames());
    }

    @Test
    void fullConfigIsRead() throws Exception {
        AgentConfig c = parse("""
                {"endpoint":"localhost","port":443,"thingName":"collar-0002","certificate":"cert.pem",
                 "privateKey":"key.pem","caCertificate":"ca.pem","dataDirectory":"/var/lib/pettysync",
                 "windowS":60,"topicMode":"basic-ingest","basicIngestRule":"pettysync_telemetry",
                 "outbox":{"capacityFrames":20000,"maxInFlight":100,"drainPerSecond":5},
                 "keepAliveS":30,"reconnect":{"minS":2,"maxS":60},"sensors":"simulated"}""");
        assertEquals(443, c.port());
        assertEquals(60, c.windowS());
        assertEquals(com.pettysync.contract.topic.TopicMode.BASIC_INGEST, c.topicMode());
        assertEquals("pettysync_telemetry", c.basicIngestRule().value());
        assertEquals(new AgentConfig.Outbox(20000, 100, 5), c.outbox());
        assertEquals(30, c.keepAliveS());
        assertEquals(new AgentConfig.Reconnect(2, 60), c.reconnect());
        assertEquals(AgentConfig.Sensors.SIMULATED, c.sensors());
        assertEquals(Path.of("/var/lib/pettysync"), c.dataDirectory());
    }

    @Test
    void anyPortOnlyForALoopbackEndpoint() {
        assertTrue(problems("""
                {"endpoint":"localhost","port":18883}""").get("port") == null);
        assertTrue(problems("""
                {"endpoint":"127.0.0.5","port":70000}""").get("port").contains("1-65535"));
        assertTrue(problems("""
                {"endpoint":"abc-ats.iot.eu-west-1.amazonaws.com","port":18883}""").get("port").contains("loopback"));
    }

    @Test
    void reportsEveryProblemByFieldPathAtOnce() {
        Map<String, String> p = problems("""
                {"endpoint":"not a host!","port":1883,"thingName":"collar 1","certificate":"missing.pem",
                 "privateKey":7,"dataDirectory":"data","windowS":0,"topicMode":"fast",
                 "outbox":{"capacityFrames":0,"maxInFlight":101,"drainPerSecond":1000,"speed":1},
                 "keepAliveS":1201,"reconnect":{"minS":10,"maxS":5},"sensors":"fake","keepalive":60}""");
        assertEquals(List.of("caCertificate", "certificate", "endpoint", "keepAliveS", "keepalive",
                "outbox.capacityFrames", "outbox.drainPerSecond", "outbox.maxInFlight", "outbox.speed", "port",
                "privateKey", "reconnect.maxS", "sensors", "thingName", "topicMode", "windowS"),
                List.copyOf(p.keySet()));
        assertTrue(p.get("port").contains("8883"), p.get("port"));
        assertTrue(p.get("topicMode").contains("basic-ingest"), p.get("topicMode"));
        assertTrue(p.get("caCertificate").contains("required"), p.get("caCertificate"));
        assertTrue(p.get("certificate").contains("no such file"), p.get("certificate"));
        assertTrue(p.get("privateKey").contains("string"), p.get("privateKey"));
        assertTrue(p.get("keepalive").contains("unknown field"), p.get("keepalive"));
        assertTrue(p.get("outbox.maxInFlight").contains("between 1 and 100"), p.get("outbox.maxInFlight"));
        assertTrue(p.get("keepAliveS").contains("between 30 and 1200"), p.get("keepAliveS"));
    }

    @Test
    void basicIngestNeedsARuleNameAndDirectModeRefusesOne() {
        String base = MINIMAL.substring(0, MINIMAL.length() - 1);
        assertTrue(problems(base + ",\"topicMode\":\"basic-ingest\"}").get("basicIngestRule").contains("required"));
        assertTrue(problems(base + ",\"topicMode\":\"basic-ingest\",\"basicIngestRule\":\"a-b\"}")
                .get("basicIngestRule").contains("a-b"));
        assertTrue(problems(base + ",\"basicIngestRule\":\"rule1\"}").get("basicIngestRule").contains("only"));
    }

    @Test
    void malformedJsonIsReportedWithItsPosition() {
        Map<String, String> p = problems("{\"endpoint\": \"x\",\n \"port\": }");
        assertEquals(List.of("$"), List.copyOf(p.keySet()));
        assertTrue(p.get("$").contains("line 2"), p.get("$"));
        assertEquals(List.of("$"), List.copyOf(problems("[1,2]").keySet()));
    }

    @Test
    void dataDirectoryThatIsAFileIsRefused() {
        String json = MINIMAL.replace("\"data\"", "\"cert.pem\"");
        assertTrue(problems(json).get("dataDirectory").contains("not a directory"));
    }

    @Test
    void fractionalAndHugeNumbersAreRefused() {
        String base = MINIMAL.substring(0, MINIMAL.length() - 1);
        assertTrue(problems(base + ",\"windowS\":1.5}").get("windowS").contains("whole number"));
        assertTrue(problems(base + ",\"windowS\":99999999999}").get("windowS").contains("whole number"));
    }

    @Test
    void readsAFileAndResolvesPathsNextToIt() throws Exception {
        Path f = dir.resolve("agent.json");
        Files.writeString(f, MINIMAL);
        AgentConfig c = new AgentConfigParser().parse(f);
        assertEquals(dir.toAbsolutePath().resolve("key.pem"), c.privateKey());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new AgentConfigParser().parse(dir.resolve("absent.json")));
        assertEquals("$", e.problems().get(0).path());
    }
}
