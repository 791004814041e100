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

/** The {@code hardware} section: where the real parts are. */
class HardwareConfigTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pemFiles() throws IOException {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "-----BEGIN X-----\n-----END X-----\n");
        }
    }

    private static String config(String hardware) {
        return """
                {"endpoint":"abc123-ats.iot.eu-west-1.amazonaws.com","thingName":"collar-0001",
                 "certificate":"cert.pem","privateKey":"key.pem","caCertificate":"ca.pem","dataDirectory":"data"
                """ + (hardware == null ? "" : ", \"hardware\": " + hardware) + "}";
    }

    private Map<String, String> problems(String json) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new AgentConfigParser().parse(json, dir));
        Map<String, String> byPath = new TreeMap<>();
        e.problems().forEach(p -> byPath.merge(p.path(), p.message(), (a, b) -> a + " | " + b));
        return byPath;
    }

    @Test
    void theReferenceCollarIsTheDefaultAndEachPartCanBeMoved() throws Exception {
        AgentConfig d = new AgentConfigParser().parse(config(null), dir);
        assertEquals(AgentConfig.Sensors.REAL, d.sensors());
        assertEquals(new AgentConfig.Hardware(1, "/dev/ttyAMA0", 9600, "", "sph0645"), d.hardware());
        AgentConfig c = new AgentConfigParser().parse(config("""
                {"i2cBus": 3, "gnssSerial": "/dev/serial0", "gnssBaud": 38400, "audioMixer": "sndrpigooglevoi",
                 "microphone": "ics43434"}"""), dir);
        assertEquals(new AgentConfig.Hardware(3, "/dev/serial0", 38400, "sndrpigooglevoi", "ics43434"), c.hardware());
        assertEquals(new AgentConfig.Hardware(1, "/dev/ttyAMA0", 115200, "", "sph0645"),
                new AgentConfigParser().parse(config("{\"gnssBaud\": 115200}"), dir).hardware(), "others default");
    }

    @Test
    void everyBadFieldIsReportedByItsPath() {
        Map<String, String> p = problems(config("""
                {"i2cBus": 40, "gnssSerial": "COM3", "gnssBaud": 9601, "microphone": "inmp441", "spi": 0}"""));
        assertTrue(p.get("hardware.i2cBus").contains("between 0 and 31"), p.toString());
        assertTrue(p.get("hardware.gnssSerial").contains("under /dev/"), p.toString());
        assertTrue(p.get("hardware.gnssBaud").contains("9600"), p.toString());
        assertTrue(p.get("hardware.microphone").contains("ics43434"), p.toString());
        assertTrue(p.get("hardware.spi").contains("unknown field"), p.toString());
        assertTrue(problems(config("{\"gnssSerial\": 5}")).get("hardware.gnssSerial").contains("must be a string"));
        assertTrue(problems(config("\"i2c-1\"")).containsKey("hardware"), "must be an object");
    }
}
