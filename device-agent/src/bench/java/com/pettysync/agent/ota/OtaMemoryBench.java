package com.pettysync.agent.ota;

import com.pettysync.agent.runtime.MemoryBench;
import com.pettysync.agent.testing.TestPki;
import com.pettysync.ml.vocal.VocalizationModel;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers for the update path (issue 12): RSS of a JVM with the unit's flags while it downloads a 16 MiB artifact
 * over HTTPS and while it hot-swaps the vocalisation model, and the download's resume overhead (time, bytes and
 * requests with the connection dropped every 1 MiB / 256 KiB against an uninterrupted download). Run:
 * {@code ./mvnw -B -pl device-agent -am -Pbench verify -Dtest=OtaMemoryBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dexec.skip=true}.
 * Prints; asserts nothing.
 */
class OtaMemoryBench {
    static final int SIZE = 16 << 20;

    @TempDir
    Path dir;

    @Test
    void updatePathRssAndResumeOverhead() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("pki")));
        byte[] artifact = new byte[SIZE];
        new Random(1).nextBytes(artifact);
        String sha = HexFormat.of().formatHex(OtaFixture.sha256(artifact));
        byte[] bundled;
        try (InputStream in = VocalizationModel.class.getResourceAsStream(VocalizationModel.BUNDLED)) {
            bundled = in.readAllBytes();
        }
        String meta = new String(bundled, StandardCharsets.ISO_8859_1);
        int at = meta.indexOf("\"version\":") + 10;
        long running = Long.parseLong(meta.substring(at, at + 1));
        Path model = dir.resolve("model.tflite");
        Files.write(model, bundled);
        byte[] patched = Files.readAllBytes(model);
        patched[at] = (byte) ('0' + running + 1);
        Files.write(model, patched);
        try (ArtifactServer server = new ArtifactServer(pki)) {
            server.files.put("fw", artifact);
            resumeOverhead(server, pki, sha);
            server.bytesPerSecond = 4 << 20; // ~4 s of download, sampled every 20 ms
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(MemoryBench.unitFlags());
            cmd.addAll(List.of("-cp", MemoryBench.runtimeClasspath() + java.io.File.pathSeparator
                    + System.getProperty("java.class.path"), OtaMemoryChild.class.getName(),
                    dir.resolve("data").toString(), server.url("fw").toString(), Integer.toString(SIZE), sha,
                    pki.caPem.toString(), model.toString(), Long.toString(running + 1)));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Map<String, Long> maxByPhase = new TreeMap<>();
            String[] phase = {"START"};
            Map<String, Long> max = new ConcurrentHashMap<>();
            Thread sampler = Thread.ofPlatform().daemon().start(() -> {
                while (p.isAlive()) {
                    try {
                        long rss = kb(p.pid(), "VmRSS:");
                        max.merge(phase[0], rss, Math::max);
                        Thread.sleep(20);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            long hwm = 0;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("PHASE ")) {
                        phase[0] = line.substring(6);
                        if (phase[0].equals("END")) {
                            hwm = kb(p.pid(), "VmHWM:");
                        }
                    } else {
                        System.out.println("child: " + line);
                    }
                }
            }
            p.waitFor();
            sampler.join();
            maxByPhase.putAll(max);
            System.out.printf("BENCH update path RSS (KiB, max per phase, unit flags %s): %s; VmHWM %d KiB%n",
                    MemoryBench.unitFlags(), maxByPhase, hwm);
        }
    }

    /**
     * Resume overhead, on a link paced at 2 MiB/s by the server (the link, not the collar, is the bottleneck, as on
     * a collar: little sits unread in socket buffers when the connection is reset) and, for comparison, unpaced
     * loopback (a reset then throws away everything the client had not read yet).
     */
    private void resumeOverhead(ArtifactServer server, TestPki pki, String sha) throws Exception {
        for (long pace : new long[] {2 << 20, Long.MAX_VALUE}) {
            server.bytesPerSecond = pace;
            System.out.println("BENCH resume, server " + (pace == Long.MAX_VALUE ? "unpaced" : "paced at 2 MiB/s"));
            resumeRuns(server, pki, sha);
        }
        server.bytesPerSecond = Long.MAX_VALUE;
    }

    private void resumeRuns(ArtifactServer server, TestPki pki, String sha) throws Exception {
        for (long drop : new long[] {Long.MAX_VALUE, 1 << 20, 256 << 10}) {
            server.dropEvery = drop;
            server.rangeStarts.clear();
            long sentBefore = server.bytesSent;
            Path where = dir.resolve("dl-" + drop + "-" + server.bytesPerSecond);
            ResumableDownload d = new ResumableDownload(new ResumableDownload.Settings(where,
                    new HttpArtifactFetcher(OtaKeys.downloadTls(pki.caPem), Duration.ofSeconds(10)), Clock.systemUTC(),
                    Sleeper.REAL, () -> Long.MAX_VALUE, () -> "b", Long.MAX_VALUE, 0, OtaService.CHECKPOINT_BYTES, 5));
            long t0 = System.nanoTime();
            ResumableDownload.Result r = d.run("job", SIZE, sha, () -> server.url("fw"), (a, b) -> { });
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("BENCH resume: drop every %s: %d ms, %d requests, %d bytes sent by the server for %d"
                    + " (%d extra), %d received%n", drop == Long.MAX_VALUE ? "never" : (drop >> 10) + " KiB", ms,
                    server.rangeStarts.size(), server.bytesSent - sentBefore, SIZE,
                    server.bytesSent - sentBefore - SIZE, r.bytesReceived());
        }
        server.dropEvery = Long.MAX_VALUE;
    }

    static long kb(long pid, String field) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field)) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
