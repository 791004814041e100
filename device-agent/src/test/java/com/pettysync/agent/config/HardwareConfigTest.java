package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code hardware} section: where the real parts are. */
class HardwareConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        ConfigFixture.pemFiles(dir);
    }

    private static String config(String hardware) {
        return ConfigFixture.config("hardware", hardware);
    }

    private Map<String, String> problems(String json) {
        return ConfigFixture.problems(dir, json);
    }

    @Test
    void theReferenceCollarIsTheDefaultAndEachPartCanBeMoved() throws Exception {
        AgentConfig d = new AgentConfigParser().parse(config(null), dir);
        assertEquals(AgentConfig.Sensors.REAL, d.sensors());
        assertEquals(new AgentConfig.Hardware(1, "/dev/ttyAMA0", 9600, "", "sph0645", 2000), d.hardware());
        AgentConfig c = new AgentConfigParser().parse(config("""
                {"i2cBus": 3, "gnssSerial": "/dev/serial0", "gnssBaud": 38400, "audioMixer": "sndrpigooglevoi",
                 "microphone": "ics43434"}"""), dir);
        assertEquals(new AgentConfig.Hardware(3, "/dev/serial0", 38400, "sndrpigooglevoi", "ics43434", 2000), c.hardware());
        assertEquals(new AgentConfig.Hardware(1, "/dev/ttyAMA0", 115200, "", "sph0645", 2000),
                new AgentConfigParser().parse(config("{\"gnssBaud\": 115200}"), dir).hardware(), "others default");
    }

    @Test
    void everyBadFieldIsReportedByItsPath() {
        Map<String, String> p = problems(config("""
                {"i2cBus": 40, "gnssSerial": "COM3", "gnssBaud": 9601, "microphone": "inmp441", "spi": 0,
                 "batteryMah": 0}"""));
        assertTrue(p.get("hardware.batteryMah").contains("between 50 and 100000"), p.toString());
        assertTrue(p.get("hardware.i2cBus").contains("between 0 and 31"), p.toString());
        assertTrue(p.get("hardware.gnssSerial").contains("under /dev/"), p.toString());
        assertTrue(p.get("hardware.gnssBaud").contains("9600"), p.toString());
        assertTrue(p.get("hardware.microphone").contains("ics43434"), p.toString());
        assertTrue(p.get("hardware.spi").contains("unknown field"), p.toString());
        assertTrue(problems(config("{\"gnssSerial\": 5}")).get("hardware.gnssSerial").contains("must be a string"));
        assertTrue(problems(config("\"i2c-1\"")).containsKey("hardware"), "must be an object");
    }
}
