package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code raw} section of the agent configuration (the raw-capture spool's quota). */
class RawConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        ConfigFixture.pemFiles(dir);
    }

    private Map<String, String> problems(String raw) {
        return ConfigFixture.problems(dir, ConfigFixture.config("raw", raw));
    }

    @Test
    void theQuotaDefaultsTo128MiBAndCanBeSet() throws Exception {
        assertEquals(128L * 1024 * 1024, new AgentConfigParser().parse(ConfigFixture.config("raw", null), dir)
                .raw().quotaBytes());
        assertEquals(1_000_000, new AgentConfigParser().parse(ConfigFixture.config("raw", "{\"quotaBytes\": 1000000}"),
                dir).raw().quotaBytes());
    }

    @Test
    void aQuotaOutsideItsRangeOrNotAWholeNumberIsRefusedByField() {
        assertTrue(problems("{\"quotaBytes\": 1000}").get("raw.quotaBytes").contains("between 65536"));
        assertTrue(problems("{\"quotaBytes\": 20000000000}").get("raw.quotaBytes").contains("between"));
        assertTrue(problems("{\"quotaBytes\": \"1M\"}").get("raw.quotaBytes").contains("whole number"));
        assertTrue(problems("{\"quota\": 1000000}").containsKey("raw.quota"), "unknown field");
    }
}
