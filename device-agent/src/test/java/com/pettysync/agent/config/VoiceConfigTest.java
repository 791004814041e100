package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The {@code voice} section of the agent configuration. */
class VoiceConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "-----BEGIN X-----\n-----END X-----\n");
        }
    }

    private static String config(String voice) {
        return """
                {"endpoint":"abc123-ats.iot.eu-west-1.amazonaws.com","thingName":"collar-0001",
                 "certificate":"cert.pem","privateKey":"key.pem","caCertificate":"ca.pem","dataDirectory":"data"
                """ + (voice == null ? "" : ", \"voice\": " + voice) + "}";
    }

    private Map<String, String> problems(String json) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new AgentConfigParser().parse(json, dir));
        Map<String, String> byPath = new TreeMap<>();
        e.problems().forEach(p -> byPath.merge(p.path(), p.message(), (a, b) -> a + " | " + b));
        return byPath;
    }

    @Test
    void theQuotaDefaultsTo64MiBAndCanBeSet() throws Exception {
        assertEquals(64L * 1024 * 1024, new AgentConfigParser().parse(config(null), dir).voice().quotaBytes());
        assertEquals(64L * 1024 * 1024, new AgentConfigParser().parse(config("{}"), dir).voice().quotaBytes());
        assertEquals(8_000_000_000L, new AgentConfigParser().parse(config("{\"quotaBytes\": 8000000000}"), dir)
                .voice().quotaBytes());
    }

    @Test
    void aQuotaOutsideItsRangeOrNotAWholeNumberIsRefusedByField() {
        assertTrue(problems(config("{\"quotaBytes\": 1000}")).get("voice.quotaBytes").contains("between 320000"));
        assertTrue(problems(config("{\"quotaBytes\": 20000000000}")).get("voice.quotaBytes").contains("between"));
        assertTrue(problems(config("{\"quotaBytes\": 1.5e6}")).get("voice.quotaBytes").contains("whole number"));
        assertTrue(problems(config("{\"quotaBytes\": \"64M\"}")).get("voice.quotaBytes").contains("whole number"));
        assertTrue(problems(config("{\"quota\": 1000000}")).containsKey("voice.quota"), "unknown field");
        assertTrue(problems(config("[1]")).containsKey("voice"), "must be an object");
    }
}
