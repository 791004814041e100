package com.pettysync.simulator.cloud.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/** The archive through the AWS SDK's S3 client against a real S3-compatible server (S3Proxy) on loopback. */
class S3ArchiveTest {
    private static S3ProxyServer server;

    @TempDir
    static Path serverDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(serverDir);
        try (S3Client s3 = server.client()) {
            s3.createBucket(CreateBucketRequest.builder().bucket("pettysync-archive").build());
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void archivesToS3InTheSameLayoutAsTheDirectoryAndIsIdempotent() throws Exception {
        MutableClock clock = new MutableClock(ArchiveScenario.DURING_DAY);
        Path frames = dir.resolve("frames.db");
        Path copy = dir.resolve("frames-copy.db");
        try (IngestSink sink = IngestSink.open(frames, clock)) {
            ArchiveScenario.store(sink, "collar-0001");
            ArchiveScenario.store(sink, "collar-0002");
        }
        Files.copy(frames, copy); // the same hot store, archived once to S3 and once to a directory
        clock.advance(Duration.ofHours(24));
        List<String> s3Keys;
        try (SqliteHotStore hot = SqliteHotStore.open(frames);
                S3ArchiveStore s3 = new S3ArchiveStore(server.client(), "pettysync-archive", "fleet-a/")) {
            DayArchiver archiver = new DayArchiver(hot, s3, clock);
            DayArchiver.Result r = archiver.archiveCompleted();
            assertEquals(2, r.written());
            assertEquals(18, r.frames());
            s3Keys = s3.list("");
            assertEquals(DayArchiver.Result.NONE, archiver.archiveCompleted(), "a second run writes nothing");
            assertEquals("s3://pettysync-archive/fleet-a/", s3.location());

            try (IngestSink sink = IngestSink.open(frames, clock)) {
                clock.advance(Duration.ofMinutes(30));
                sink.accept("collar-0002", Stream.TELEMETRY, ArchiveScenario.window(5));
            }
            assertEquals(1, archiver.archiveCompleted().frames(), "a late frame is merged into the S3 object");
            assertEquals(10, DayArchiver.gunzipLines(s3.get(ArchiveLayout.telemetry("collar-0002",
                    ArchiveScenario.DAY)).orElseThrow()).size());
            assertEquals(1, new ObjectMapper().readTree(s3.get(ArchiveLayout.manifest("collar-0002",
                    ArchiveScenario.DAY)).orElseThrow()).at("/delivery/late").asLong());
        }
        try (SqliteHotStore hot = SqliteHotStore.open(copy);
                DirectoryArchiveStore local = new DirectoryArchiveStore(dir.resolve("archive"))) {
            new DayArchiver(hot, local, clock).archiveCompleted();
            assertEquals(s3Keys, local.list(""), "one layout for both stores");
        }
        assertTrue(s3Keys.contains("collar-0001/20260601/telemetry.jsonl.gz"), s3Keys.toString());
    }
}
