package com.pettysync.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.runtime.StatusFile;
import com.pettysync.cli.Pettysync;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentCommandsTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Pettysync.execute(args, List.of(new AgentCommands()), new PrintWriter(out, true),
                new PrintWriter(err, true));
    }

    @Test
    void invalidConfigIsRefusedWithEveryProblemOnItsOwnLine() throws Exception {
        Path cfg = dir.resolve("agent.json");
        Files.writeString(cfg, "{\"endpoint\":\"x y\",\"port\":1,\"keepAliveS\":5}");
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("agent", "--config", cfg.toString()));
        String e = err.toString();
        for (String path : List.of("endpoint:", "port:", "keepAliveS:", "thingName:", "certificate:", "privateKey:",
                "caCertificate:", "dataDirectory:")) {
            assertTrue(e.contains("\n  " + path), path + " missing in:\n" + e);
        }
        assertTrue(e.contains("refusing to start"), e);
    }

    @Test
    void unreadableKeyStopsTheStartAsBadInput() throws Exception {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "not PEM");
        }
        Path cfg = dir.resolve("agent.json");
        Files.writeString(cfg, """
                {"endpoint":"localhost","thingName":"collar-cli1","certificate":"cert.pem","privateKey":"key.pem",
                 "caCertificate":"ca.pem","dataDirectory":"data","sensors":"simulated"}""");
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("agent", "--config", cfg.toString()));
        assertTrue(err.toString().contains("cannot start"), err.toString());
    }

    @Test
    void anUnreadableClaimKeyStopsTheStartAsBadInputBeforeAnyConnect() throws Exception {
        for (String f : List.of("claim.pem", "claim.key", "ca.pem")) {
            Files.writeString(dir.resolve(f), "not PEM");
        }
        Path cfg = dir.resolve("agent.json");
        Files.writeString(cfg, """
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data","sensors":"simulated",
                 "identity":{"claim":{"certificate":"claim.pem","privateKey":"claim.key","templateName":"T",
                   "parameters":{"SerialNumber":"PS0001"}}}}""");
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("agent", "--config", cfg.toString()));
        assertTrue(err.toString().contains("cannot start"), err.toString());
    }

    @Test
    void statusShowsProvisioningByClaimWhileTheCollarHasNoIdentityYet() throws Exception {
        for (String f : List.of("claim.pem", "claim.key", "ca.pem")) {
            Files.writeString(dir.resolve(f), "x");
        }
        var claim = new com.pettysync.agent.config.AgentConfigParser().parse("""
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data",
                 "identity":{"claim":{"certificate":"claim.pem","privateKey":"claim.key","templateName":"T",
                   "parameters":{"SerialNumber":"PS0001"}}}}""", dir);
        Instant now = Instant.now();
        com.pettysync.agent.runtime.Agent.provisioningReporter(claim, java.time.Clock.systemUTC()).accept(
                new com.pettysync.agent.provision.ProvisioningStatus(
                        com.pettysync.agent.provision.ProvisioningStatus.State.WAITING_TO_RETRY, 3, 2,
                        "provision rejected: statusCode 400, errorCode InvalidParameters", now.plusSeconds(9), now,
                        null));

        assertEquals(0, run("agent", "status", "--data-dir", dir.resolve("data").toString()));
        String o = out.toString();
        assertTrue(o.contains("thing       (none yet)"), o);
        assertTrue(o.contains("provisioning by claim: waiting_to_retry, attempt 3, 2 failure(s) in a row, next attempt "
                + now.plusSeconds(9) + "; last error: provision rejected: statusCode 400, errorCode InvalidParameters"),
                o);
        ObjectNode file = StatusFile.read(dir.resolve("data"));
        assertTrue(file.path("thing").isNull());
        assertEquals("waiting_to_retry", file.path("provisioning").path("state").asText());
    }

    @Test
    void statusPrintsHealthFromTheStatusFile() throws Exception {
        ObjectNode s = StatusFile.newNode();
        s.put("thing", "collar-cli1");
        s.put("updated", Instant.now().toString());
        s.put("connected", true);
        s.put("backlog", 12);
        s.put("lastPuback", "2026-01-01T00:00:00Z");
        s.putObject("outbox").put("durable", true);
        ObjectNode sensors = s.putObject("sensors").put("source", "simulated").put("restarts", 1);
        sensors.set("states", StatusFile.sensorStates(java.util.Map.of(
                "imu", com.pettysync.drivers.SensorStatus.OK,
                "hr", com.pettysync.drivers.SensorStatus.fault(com.pettysync.drivers.FaultCode.NO_ACK, "no ACK"))));
        StatusFile.write(dir, s);
        assertEquals(0, run("agent", "status", "--data-dir", dir.toString()));
        String o = out.toString();
        assertTrue(o.contains("  hr        fault 2 (no_ack: no ACK)"), o);
        assertTrue(o.contains("  imu       ok"), o);
        assertTrue(o.contains("connected   true"), o);
        assertTrue(o.contains("backlog     12 frame(s)"), o);
        assertTrue(o.contains("1 restart(s)"), o);
    }

    @Test
    void statusPrintsTheVoiceClipLine() throws Exception {
        ObjectNode s = StatusFile.newNode();
        s.put("thing", "collar-cli1");
        s.put("updated", Instant.now().toString());
        s.putObject("voice").put("clips", 3).put("bytes", 960_000).put("quotaBytes", 1_000_000).put("stored", 9)
                .put("uploaded", 4).put("evicted", 2).put("writeFailures", 1).put("tooBig", 1)
                .put("orphansRemoved", 2).put("missingRemoved", 1);
        StatusFile.write(dir, s);
        assertEquals(0, run("agent", "status", "--data-dir", dir.toString()));
        assertTrue(out.toString().contains("voice       3 clip(s), 960000 of 1000000 bytes; stored 9, uploaded 4, "
                + "evicted 2, not stored 2 (too big 1), files cleaned 3"), out.toString());
    }

    @Test
    void staleStatusFileExitsOne() throws Exception {
        ObjectNode s = StatusFile.newNode();
        s.put("thing", "collar-cli1");
        s.put("updated", "2020-01-01T00:00:00Z");
        StatusFile.write(dir, s);
        assertEquals(Pettysync.EXIT_FAILED, run("agent", "status", "--data-dir", dir.toString()));
        assertTrue(out.toString().contains("STALE"));
        assertEquals(Pettysync.EXIT_BAD_INPUT, run("agent", "status", "--data-dir", dir.resolve("none").toString()));
    }

    @Test
    void helpListsTheCommand() {
        assertEquals(0, run("agent", "--help"));
        assertTrue(out.toString().contains("--simulated"));
        assertTrue(out.toString().contains("status"));
    }
}
