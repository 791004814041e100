package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentClaimTest {
    @TempDir
    Path dir;

    @Test
    void theAgentDoesNotStartOnAClaimIdentityAndTouchesNothing() throws Exception {
        for (String f : List.of("claim.pem", "claim.key", "ca.pem")) {
            Files.writeString(dir.resolve(f), "x");
        }
        AgentConfig claim = new AgentConfigParser().parse("""
                {"endpoint":"localhost","caCertificate":"ca.pem","dataDirectory":"data",
                 "identity":{"claim":{"certificate":"claim.pem","privateKey":"claim.key","templateName":"T",
                   "parameters":{"SerialNumber":"PS0001"}}}}""", dir);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agent.start(claim,
                MutableClock.at("2026-12-01T08:00:00Z"), (t0, dur) -> {
                    throw new AssertionError("no window may be collected");
                }, () -> com.pettysync.agent.window.ClockSource.NTP));

        assertTrue(e.getMessage().contains("provision it first"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data/outbox.db")), "no outbox was opened");
    }
}
