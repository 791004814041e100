package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.testing.Await;
import com.pettysync.agent.testing.FakeBroker;
import com.pettysync.agent.window.ClockSource;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's wiring of the update path: Jobs on the uplink's session, the shadow's versions, the status file. */
class AgentUpdatesTest {
    static final String JOBS = "$aws/things/collar-agent1/jobs/";
    @TempDir
    Path dir;

    @Test
    void describesJobsOnConnectRejectsANotNewerBuildAndReportsItsVersions() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        Files.writeString(dir.resolve("signing.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "unused with the fake broker");
        }
        AgentConfig c = new AgentConfigParser().parse("""
                {"endpoint":"localhost","thingName":"collar-agent1","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","windowS":1,"sensors":"simulated",
                 "ota":{"codeSigningCertificate":"signing.pem","healthCheckS":60}}""", dir);
        FakeBroker broker = new FakeBroker();
        broker.autoAck = true;
        Agent agent = Agent.start(c, Clock.systemUTC(), new SimulatedWindowSource("collar-agent1", 137563000,
                1005018000), () -> ClockSource.NTP, broker);
        ObjectMapper json = new ObjectMapper();
        try {
            Await.until("describe of the next job on connect", () -> broker.allPublishes().stream()
                    .anyMatch(p -> p.topic().equals(JOBS + "$next/get")));
            Await.until("versions in the shadow's reported section", () -> broker.allPublishes().stream()
                    .anyMatch(p -> p.topic().equals("$aws/things/collar-agent1/shadow/name/config/update")
                            && new String(p.payload(), StandardCharsets.UTF_8).contains("\"firmwareBuild\":1")));
            byte[] digest = new byte[32];
            JobDocument doc = new JobDocument(JobOperation.FIRMWARE_UPDATE, 1, URI.create("https://a.example/fw"),
                    10, "00".repeat(32), JobSignature.sign(keys.getPrivate(), digest), OptionalInt.empty());
            String reply = "{\"execution\":{\"jobId\":\"fw-1\",\"status\":\"QUEUED\",\"versionNumber\":1,"
                    + "\"jobDocument\":" + doc.toJson() + "}}";
            broker.current().listener.message(JOBS + "$next/get/accepted", reply.getBytes(StandardCharsets.UTF_8));
            Await.until("the job is rejected", () -> broker.allPublishes().stream()
                    .anyMatch(p -> p.topic().equals(JOBS + "fw-1/update")));
            JsonNode update = json.readTree(broker.allPublishes().stream()
                    .filter(p -> p.topic().equals(JOBS + "fw-1/update")).findFirst().orElseThrow().payload());
            assertEquals("REJECTED", update.get("status").asText());
            assertEquals(1, update.get("expectedVersion").asLong());
            assertTrue(update.at("/statusDetails/reason").asText().contains("not newer than the running firmware"
                    + " build 1"), update.toString());
            JsonNode fw = agent.status().path("firmware");
            assertEquals(1, fw.path("build").asLong());
            assertEquals("fw-1", fw.path("job").asText());
        } finally {
            agent.close();
        }
    }
}
