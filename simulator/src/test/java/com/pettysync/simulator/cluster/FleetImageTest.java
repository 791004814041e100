package com.pettysync.simulator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The fleet image runs: {@code src/image/verify.sh} unpacks {@code target/jib-image.tar} (built by
 * {@code -Pimage package}) into a root file system and runs the image's own entrypoint in a chroot as the image's user.
 * Skipped when there is no tarball (the default build makes none) or when this is not root (chroot and mount need it).
 */
class FleetImageTest {
    private static final Path TARBALL = Path.of("target/jib-image.tar");
    private static final Path VERIFY = Path.of("src/image/verify.sh");

    @Test
    void imageRunsJavaAndTheSimulatorFromItsOwnEntrypoint() throws Exception {
        assumeTrue(Files.isRegularFile(TARBALL), "no " + TARBALL + ": build it with -Pimage package");
        assumeTrue(isRoot(), "chroot and mount need root");
        assumeTrue(onPath("chroot") && onPath("python3") && onPath("mount"), "needs chroot, mount and python3");

        Path log = Files.createTempFile("pettysync-image", ".log");
        try {
            Process p = new ProcessBuilder("sh", VERIFY.toString(), TARBALL.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {   // a guard against a hang, not a timing assertion
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("platform linux/amd64"), out);
            assertTrue(out.contains("openjdk version \""), out);
            assertTrue(out.contains("Usage: pettysync simulate"), out);
            // the image carries this build's commands, and prints UTF-8
            assertTrue(out.contains("k8s    Print the Kubernetes manifest"), out);
            assertTrue(out.contains("×120"), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static boolean isRoot() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        return p.waitFor() == 0 && uid.equals("0");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
