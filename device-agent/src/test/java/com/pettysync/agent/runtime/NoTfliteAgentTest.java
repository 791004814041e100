package com.pettysync.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.pettysync.contract.json.JsonTrees;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A board without TFLite natives (armv7 / armhf): the agent runs in a child JVM whose class path has none of the
 * {@code org.bytedeco} native jars ({@code *-linux-*.jar}), as on such a board. It must start and publish, with no
 * classifier: {@code fw.model} 0, mood from heart rate and activity, episodes still cut by the energy gate (with
 * their clips, unclassified: confidence 0), and the status saying why.
 */
class NoTfliteAgentTest {
    @TempDir
    Path dir;

    @Test
    void theAgentRunsWithoutTfliteNativesAndSaysWhy() throws Exception {
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !(e.contains("bytedeco") || e.contains("tensorflow-lite") || e.contains("javacpp"))
                        || !e.matches(".*-linux-[a-z0-9_]+\\.jar$"))
                .collect(Collectors.joining(File.pathSeparator));
        assertFalse(cp.matches("(?s).*tensorflow-lite-[^" + File.pathSeparator + "]*-linux-.*"), "natives removed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", cp, NoTfliteChild.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        String line = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(
                () -> new AssertionError("no result from the child:\n" + output));
        JsonNode r = JsonTrees.read(line.substring("RESULT ".length()));

        assertFalse(r.path("present").asBoolean(), "no classifier without natives");
        assertTrue(r.path("whyAbsent").asText().contains("TFLite could not be loaded"), r.toString());
        assertTrue(r.path("moodPresent1").asBoolean(), "mood from heart rate and activity: " + r);
        assertTrue(r.path("hrPresent").asBoolean(), r.toString());
        assertEquals(0, r.path("vocalCounted1").asInt(), "no classes to count: " + r);
        assertFalse(r.path("moodInputs").path("inputs").path("vocalClassified").asBoolean(), r.toString());
        assertTrue(r.path("episodes").asInt() > 0, "the energy gate still cuts episodes: " + r);
        assertEquals(r.path("episodes").asInt(), r.path("episodesWithClips").asInt(), "each with its clip");
        assertEquals(0, r.path("episodeConfMax").asInt(), "unclassified: confidence 0");
        assertTrue(r.path("frames").asInt() >= 2, "the agent publishes: " + r);
        assertEquals(0, r.path("fwModelMax").asLong(), "fw.model 0 in every frame");
        assertFalse(r.path("classifier").path("present").asBoolean());
        assertTrue(r.path("classifier").path("whyAbsent").asText().contains("TFLite"), "the status says why");
    }
}
