package com.pettysync.agent.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A minimal valid agent configuration plus one section under test, and its problems by JSON path. */
final class ConfigFixture {
    private ConfigFixture() {
    }

    /** Placeholder PEM files, so that the parser's file checks pass. */
    static void pemFiles(Path dir) throws IOException {
        for (String f : List.of("cert.pem", "key.pem", "ca.pem")) {
            Files.writeString(dir.resolve(f), "-----BEGIN X-----\n-----END X-----\n");
        }
    }

    /** The minimal configuration, with {@code "section": json} added unless {@code json} is null. */
    static String config(String section, String json) {
        return """
                {"endpoint":"abc123-ats.iot.eu-west-1.amazonaws.com","thingName":"collar-0001",
                 "certificate":"cert.pem","privateKey":"key.pem","caCertificate":"ca.pem","dataDirectory":"data"
                """ + (json == null ? "" : ", \"" + section + "\": " + json) + "}";
    }

    /** Parses {@code json}, which must be refused; its problems by path (several at one path joined by " | "). */
    static Map<String, String> problems(Path dir, String json) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> new AgentConfigParser().parse(json, dir));
        Map<String, String> byPath = new TreeMap<>();
        e.problems().forEach(p -> byPath.merge(p.path(), p.message(), (a, b) -> a + " | " + b));
        return byPath;
    }
}
