package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ota} section of the agent configuration. */
class OtaConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        ConfigFixture.pemFiles(dir);
    }

    private Map<String, String> problems(String ota) {
        return ConfigFixture.problems(dir, ConfigFixture.config("ota", ota));
    }

    @Test
    void defaultsAndSettings() throws Exception {
        AgentConfig.Ota d = new AgentConfigParser().parse(ConfigFixture.config("ota", null), dir).ota();
        assertNull(d.codeSigningCertificate());
        assertEquals(256 * 1024, d.maxBytesPerSecond());
        assertEquals(900, d.healthCheckS());
        AgentConfig.Ota o = new AgentConfigParser().parse(ConfigFixture.config("ota", """
                {"codeSigningCertificate":"cert.pem","trustCertificates":"ca.pem","maxBytesPerSecond":65536,
                 "healthCheckS":600,"reserveBytes":0}"""), dir).ota();
        assertEquals(dir.resolve("cert.pem"), o.codeSigningCertificate());
        assertEquals(dir.resolve("ca.pem"), o.trustCertificates());
        assertEquals(65536, o.maxBytesPerSecond());
        assertEquals(600, o.healthCheckS());
        assertEquals(0, o.reserveBytes());
    }

    @Test
    void badValuesAreRefusedByField() {
        assertTrue(problems("{\"codeSigningCertificate\":\"missing.pem\"}").get("ota.codeSigningCertificate")
                .contains("no such file"));
        assertTrue(problems("{\"maxBytesPerSecond\":10}").get("ota.maxBytesPerSecond").contains("between"));
        assertTrue(problems("{\"healthCheckS\":200}").get("ota.healthCheckS").contains("must exceed windowS"));
        assertTrue(problems("{\"healthCheckS\":10}").get("ota.healthCheckS").contains("between 60"));
        assertTrue(problems("{\"reserveBytes\":-1}").get("ota.reserveBytes").contains("negative"));
        assertTrue(problems("{\"healthcheckS\":600}").containsKey("ota.healthcheckS"), "unknown field");
    }
}
