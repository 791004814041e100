package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.MutableClock;
import com.pettysync.agent.testing.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumableDownloadTest {
    static final int SIZE = 1 << 20;
    @TempDir
    Path dir;
    TestPki pki;
    ArtifactServer server;
    byte[] artifact = new byte[SIZE];
    String sha;
    MutableClock clock = MutableClock.at("2026-12-06T12:00:00Z");

    @BeforeEach
    void setUp() throws Exception {
        pki = TestPki.create(Files.createDirectory(dir.resolve("pki")));
        server = new ArtifactServer(pki);
        new Random(7).nextBytes(artifact);
        server.files.put("fw", artifact);
        sha = HexFormat.of().formatHex(OtaFixture.sha256(artifact));
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    private ResumableDownload download(ArtifactFetcher fetcher, LongSupplier free, String bootId, long rate,
            Path where) {
        return new ResumableDownload(new ResumableDownload.Settings(where, fetcher, clock, OtaFixture.advancing(clock),
                free, () -> bootId, rate, 4096, 64 * 1024, 3));
    }

    private ArtifactFetcher https() throws Exception {
        return new HttpArtifactFetcher(OtaKeys.downloadTls(pki.caPem), Duration.ofSeconds(10));
    }

    @Test
    void resumesOverRealHttpsWhenTheServerDropsTheConnectionEvery128KiB() throws Exception {
        server.dropEvery = 128 * 1024;
        ResumableDownload d = download(https(), () -> Long.MAX_VALUE, "boot-1", Long.MAX_VALUE, dir.resolve("dl"));
        ResumableDownload.Result r = d.run("job", SIZE, sha, () -> server.url("fw"), (a, b) -> { });
        assertArrayEquals(artifact, Files.readAllBytes(r.file()));
        assertEquals(sha, HexFormat.of().formatHex(r.sha256()));
        // each connection resumes at the byte the client had written when the last one broke (the JDK client may
        // lose what it buffered but had not handed over when the connection is reset)
        List<Long> starts = server.rangeStarts;
        assertEquals(0L, starts.get(0));
        for (int i = 1; i < starts.size(); i++) {
            assertTrue(starts.get(i) > starts.get(i - 1) && starts.get(i) <= starts.get(i - 1) + 128 * 1024, starts
                    .toString());
        }
        assertEquals(SIZE, r.bytesReceived(), "no byte the client received is fetched twice");
    }

    @Test
    void anExpiredUrlStopsTheDownloadAndANewUrlResumesItAtTheSameByte() throws Exception {
        server.dropEvery = 300_000;
        URI[] url = {server.url("fw")};
        ResumableDownload d = download(https(), () -> Long.MAX_VALUE, "boot-1", Long.MAX_VALUE, dir.resolve("dl"));
        server.files.put("fw2", artifact);
        ArtifactFetcher once = new ArtifactFetcher() {
            int calls;
            final ArtifactFetcher real = https();

            @Override
            public Body open(URI u, long offset) throws java.io.IOException, UrlExpiredException {
                if (u.getPath().equals("/fw") && calls++ > 0) {
                    throw new UrlExpiredException("HTTP 403");
                }
                return real.open(u, offset);
            }
        };
        d = download(once, () -> Long.MAX_VALUE, "boot-1", Long.MAX_VALUE, dir.resolve("dl"));
        ResumableDownload dl = d;
        DownloadException e = assertThrows(DownloadException.class,
                () -> dl.run("job", SIZE, sha, () -> url[0], (a, b) -> { }));
        assertEquals(DownloadException.Kind.URL_EXPIRED, e.kind());
        long stopped = d.checkpointOffset("job", sha, SIZE);
        assertTrue(stopped > 0 && stopped <= 300_000, "stopped at " + stopped);
        assertEquals(stopped, Files.size(dir.resolve("dl/job.part")));
        url[0] = server.url("fw2");
        server.dropEvery = Long.MAX_VALUE;
        ResumableDownload.Result r = d.run("job", SIZE, sha, () -> url[0], (a, b) -> { });
        assertEquals(stopped, r.resumedFrom());
        assertEquals(stopped, server.rangeStarts.get(server.rangeStarts.size() - 1));
        assertArrayEquals(artifact, Files.readAllBytes(r.file()));
    }

    @Test
    void afterAProcessDeathItResumesAtTheFilesLengthAfterARebootAtTheDurableCheckpoint() throws Exception {
        OtaFixture.MemoryFetcher mem = new OtaFixture.MemoryFetcher();
        URI u = URI.create("https://x/fw");
        mem.artifacts.put(u, artifact);
        mem.dropEvery = 100_000;
        mem.connectionsLeft = 1;
        ResumableDownload first = new ResumableDownload(new ResumableDownload.Settings(dir.resolve("dl"), mem, clock,
                OtaFixture.advancing(clock), () -> Long.MAX_VALUE, () -> "boot-1", Long.MAX_VALUE, 0, 64 * 1024, 1));
        assertThrows(DownloadException.class, () -> first.run("job", SIZE, sha, () -> u, (a, b) -> { }));
        // bytes written after the last checkpoint, as a killed process leaves them in the page cache
        Path part = dir.resolve("dl/job.part");
        Files.write(part, java.util.Arrays.copyOfRange(artifact, 100_000, 130_000), StandardOpenOption.APPEND);
        assertEquals(100_000, first.checkpointOffset("job", sha, SIZE));

        mem.dropEvery = Long.MAX_VALUE;
        mem.connectionsLeft = Integer.MAX_VALUE;
        mem.requestedOffsets.clear();
        ResumableDownload sameBoot = download(mem, () -> Long.MAX_VALUE, "boot-1", Long.MAX_VALUE, dir.resolve("dl"));
        // stop it at once: we only want where it starts
        ResumableDownload.Result r = sameBoot.run("job", SIZE, sha, () -> u, (a, b) -> { });
        assertEquals(130_000, r.resumedFrom(), "same boot: the byte where it stopped");
        assertArrayEquals(artifact, Files.readAllBytes(r.file()));

        // again, but the machine rebooted: only the fsynced checkpoint is trusted
        sameBoot.discard("job");
        mem.dropEvery = 100_000;
        mem.connectionsLeft = 1;
        assertThrows(DownloadException.class, () -> first.run("job", SIZE, sha, () -> u, (a, b) -> { }));
        Files.write(part, new byte[30_000], StandardOpenOption.APPEND); // garbage a power cut may leave
        mem.dropEvery = Long.MAX_VALUE;
        mem.connectionsLeft = Integer.MAX_VALUE;
        ResumableDownload rebooted = download(mem, () -> Long.MAX_VALUE, "boot-2", Long.MAX_VALUE, dir.resolve("dl"));
        r = rebooted.run("job", SIZE, sha, () -> u, (a, b) -> { });
        assertEquals(100_000, r.resumedFrom());
        assertArrayEquals(artifact, Files.readAllBytes(r.file()));
    }

    @Test
    void theRateBoundSetsHowLongTheDownloadTakes() throws Exception {
        OtaFixture.MemoryFetcher mem = new OtaFixture.MemoryFetcher();
        URI u = URI.create("https://x/fw");
        mem.artifacts.put(u, artifact);
        for (long rate : List.of(256L * 1024, 64L * 1024)) {
            java.time.Instant start = clock.instant();
            ResumableDownload d = download(mem, () -> Long.MAX_VALUE, "b", rate, dir.resolve("dl-" + rate));
            d.run("job", SIZE, sha, () -> u, (a, b) -> { });
            long seconds = Duration.between(start, clock.instant()).toSeconds();
            assertEquals(SIZE / rate, seconds, 1, "1 MiB at " + rate + " B/s");
        }
    }

    @Test
    void freeSpaceFallingDuringTheDownloadStopsItWithNoSpace() throws Exception {
        OtaFixture.MemoryFetcher mem = new OtaFixture.MemoryFetcher();
        URI u = URI.create("https://x/fw");
        mem.artifacts.put(u, artifact);
        AtomicLong free = new AtomicLong(10L << 20);
        ResumableDownload d = download(mem, free::get, "b", Long.MAX_VALUE, dir.resolve("dl"));
        DownloadException e = assertThrows(DownloadException.class, () -> d.run("job", SIZE, sha, () -> u,
                (done, size) -> free.set(done >= 256 * 1024 ? 100_000 : 10L << 20)));
        assertEquals(DownloadException.Kind.NO_SPACE, e.kind());
        assertTrue(e.getMessage().contains("free space fell"), e.getMessage());
    }

    @Test
    void aRealFullPartitionStopsTheDownloadWithNoSpace() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("small"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", mnt.toString())
                .redirectErrorStream(true).start();
        boolean mounted = m.waitFor(10, TimeUnit.SECONDS) && m.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "needs root and mount (a tmpfs of 512 KiB)");
        try {
            ResumableDownload d = download(https(), () -> Long.MAX_VALUE, "b", Long.MAX_VALUE, mnt.resolve("dl"));
            DownloadException e = assertThrows(DownloadException.class,
                    () -> d.run("job", SIZE, sha, () -> server.url("fw"), (a, b) -> { }));
            assertEquals(DownloadException.Kind.NO_SPACE, e.kind(), e.getMessage());
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStalledConnectionIsClosedAndTheDownloadResumesOnANewOne() throws Exception {
        server.stallOnceAfter = 100 * 1024;
        ArtifactFetcher fetcher = new HttpArtifactFetcher(OtaKeys.downloadTls(pki.caPem), Duration.ofSeconds(10),
                Duration.ofMillis(500));
        ResumableDownload d = download(fetcher, () -> Long.MAX_VALUE, "b", Long.MAX_VALUE, dir.resolve("dl"));
        ResumableDownload.Result r = d.run("job", SIZE, sha, () -> server.url("fw"), (a, b) -> { });
        assertArrayEquals(artifact, Files.readAllBytes(r.file()));
        assertEquals(2, server.rangeStarts.size());
        assertTrue(server.rangeStarts.get(1) > 0 && server.rangeStarts.get(1) <= 100 * 1024);
    }

    @Test
    void aServerWhoseArtifactHasAnotherSizeIsRefused() throws Exception {
        server.files.put("short", java.util.Arrays.copyOf(artifact, SIZE - 10));
        ResumableDownload d = download(https(), () -> Long.MAX_VALUE, "b", Long.MAX_VALUE, dir.resolve("dl"));
        DownloadException e = assertThrows(DownloadException.class,
                () -> d.run("job", SIZE, sha, () -> server.url("short"), (a, b) -> { }));
        assertEquals(DownloadException.Kind.BAD_ARTIFACT, e.kind());
    }

    @Test
    void aServerIgnoringRangeMakesItStartOver() throws Exception {
        OtaFixture.MemoryFetcher mem = new OtaFixture.MemoryFetcher();
        URI u = URI.create("https://x/fw");
        mem.artifacts.put(u, artifact);
        mem.dropEvery = 200_000;
        mem.connectionsLeft = 1;
        mem.ignoreRange = true;
        ResumableDownload d = new ResumableDownload(new ResumableDownload.Settings(dir.resolve("dl"), mem, clock,
                OtaFixture.advancing(clock), () -> Long.MAX_VALUE, () -> "b", Long.MAX_VALUE, 0, 64 * 1024, 1));
        assertThrows(DownloadException.class, () -> d.run("job", SIZE, sha, () -> u, (a, b) -> { }));
        mem.dropEvery = Long.MAX_VALUE;
        mem.connectionsLeft = Integer.MAX_VALUE;
        mem.requestedOffsets.clear();
        ResumableDownload.Result r = d.run("job", SIZE, sha, () -> u, (a, b) -> { });
        assertEquals(List.of(200_000L), mem.requestedOffsets, "asked to resume");
        assertArrayEquals(artifact, Files.readAllBytes(r.file()), "started over from byte 0 and got it whole");
    }
}
