package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A power cut at every step of an install and switch still boots: the installing process is SIGKILLed right after
 * each step, then the real launcher script starts the agent (a fake java that logs its slot). SIGKILL stands in
 * for the power cut of the process's view; every step's data were fsynced before the step was announced.
 */
class SwitchPowerCutTest {
    static final List<String> STEPS = List.of("unpacked", "old-moved-aside", "new-in-place", "old-deleted",
            "before-switch", "tmp-written:boot", "switched");

    @TempDir
    Path dir;

    @Test
    void aCutAtEveryStepOfTheSwitchLeavesABootableSlot() throws Exception {
        byte[] artifact = OtaFixture.firmware(7, 0, 200_000);
        Path zip = dir.resolve("fw-7.zip");
        Files.write(zip, artifact);
        for (String step : STEPS) {
            Path data = dir.resolve(step.replace(':', '-'));
            Path slots = data.resolve("slots");
            OtaFixture.writeSlot(slots, "a", 5);
            OtaFixture.writeSlot(slots, "b", 6); // an earlier update's build, to be replaced
            killAt(slots, zip, step);

            Launcher launcher = new Launcher(data);
            String started = launcher.start();
            String expected = step.equals("switched") ? "b" : "a";
            assertEquals(expected, started, "cut after " + step);
            assertTrue(Files.exists(slots.resolve(started).resolve(FirmwareArtifact.MANIFEST)), "bootable " + step);
            if (started.equals("b")) {
                assertEquals(7, new DirectorySlots(slots, "b").runningBuild());
            }

            // the next attempt (the job resumed after the restart) installs and switches cleanly
            DirectorySlots again = new DirectorySlots(slots, started.equals("b") ? "b" : "a");
            if (started.equals("a")) {
                again.install(zip);
                again.switchToTrial();
                assertEquals("b", launcher.start(), "retry after a cut at " + step);
                assertEquals(7, new DirectorySlots(slots, "b").runningBuild());
            }
        }
    }

    private static void killAt(Path slots, Path zip, String step) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), SwitchChild.class.getName(), slots.toString(), zip.toString(),
                step).redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.equals("STEP " + step)) {
                    p.destroyForcibly(); // SIGKILL
                    break;
                }
                if (line.equals("DONE")) {
                    throw new AssertionError("never reached step " + step);
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
