package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code voice} section of the agent configuration. */
class VoiceConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        ConfigFixture.pemFiles(dir);
    }

    private static String config(String voice) {
        return ConfigFixture.config("voice", voice);
    }

    private Map<String, String> problems(String json) {
        return ConfigFixture.problems(dir, json);
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
