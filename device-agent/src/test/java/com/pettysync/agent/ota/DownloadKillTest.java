package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.TestPki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real downloading process, then a restart: the download resumes from the byte where it stopped (the
 * length of the partial file the killed process left; same boot, so the page cache kept every byte written) and
 * the artifact is whole. Prints the resume overhead (bytes the server sent twice or that died with the process).
 */
class DownloadKillTest {
    static final int SIZE = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aKilledDownloadResumesFromTheByteWhereItStopped() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectory(dir.resolve("pki")));
        byte[] artifact = new byte[SIZE];
        new Random(3).nextBytes(artifact);
        String sha = HexFormat.of().formatHex(OtaFixture.sha256(artifact));
        try (ArtifactServer server = new ArtifactServer(pki)) {
            server.files.put("fw", artifact);
            server.bytesPerSecond = 512 << 10; // a slow link, so the kill lands mid-download
            Path dl = dir.resolve("dl");
            Process p = child(dl, server, sha, pki);
            try (BufferedReader r = reader(p)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("AT ") && Long.parseLong(line.substring(3)) >= 256 * 1024) {
                        p.destroyForcibly(); // SIGKILL
                        break;
                    }
                }
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            long stoppedAt = Files.size(dl.resolve("job.part"));
            assertTrue(stoppedAt >= 256 * 1024 && stoppedAt < SIZE, "stopped at " + stoppedAt);
            long sentBeforeKill = server.bytesSent;

            server.bytesPerSecond = Long.MAX_VALUE;
            Process again = child(dl, server, sha, pki);
            String done = null;
            try (BufferedReader r = reader(again)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("DONE ")) {
                        done = line;
                    }
                }
            }
            assertTrue(again.waitFor(30, TimeUnit.SECONDS));
            assertNotNull(done, "the restarted download finished");
            String[] f = done.split(" ");
            assertEquals(stoppedAt, Long.parseLong(f[1]), "resumed from the byte where it stopped");
            assertEquals(stoppedAt, (long) server.rangeStarts.get(server.rangeStarts.size() - 1));
            assertArrayEquals(artifact, Files.readAllBytes(dl.resolve("job.part")));
            long overhead = server.bytesSent - SIZE;
            System.out.printf("download resume overhead after SIGKILL at byte %d of %d: %d bytes sent twice"
                    + " (%d sent before the kill, %d in flight lost with the process), 1 extra request%n",
                    stoppedAt, SIZE, overhead, sentBeforeKill, sentBeforeKill - stoppedAt);
        }
    }

    private static Process child(Path dl, ArtifactServer server, String sha, TestPki pki) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), DownloadChild.class.getName(), dl.toString(),
                server.url("fw").toString(), Integer.toString(SIZE), sha, pki.caPem.toString())
                .redirectErrorStream(true).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }
}
