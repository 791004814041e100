package com.pettysync.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.testing.MutableClock;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobsApi.Status;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateEngineTest {
    @TempDir
    Path dir;
    KeyPair keys;
    MutableClock clock = MutableClock.at("2026-12-06T12:00:00Z");
    OtaFixture.MemoryFetcher server = new OtaFixture.MemoryFetcher();
    SimulatedCollar collar;
    URI url = URI.create("https://artifacts.example/fw-7?X-Amz-Signature=abc");

    @BeforeEach
    void setUp() throws Exception {
        keys = OtaFixture.p256();
        collar = new SimulatedCollar(dir, clock, server, keys.getPublic()).boot();
    }

    private JobDocument publish(long build, long securityVersion) throws Exception {
        byte[] artifact = OtaFixture.firmware(build, securityVersion, 300_000);
        server.artifacts.put(url, artifact);
        return OtaFixture.document(JobOperation.FIRMWARE_UPDATE, build, url, artifact, keys);
    }

    /** Queued → start-next → in progress → downloaded, installed, switched, restart asked. */
    private void runToRestart(String jobId, JobDocument doc) throws Exception {
        int before = collar.channel.startNexts.size();
        collar.engine.offer(OtaFixture.execution(jobId, Status.QUEUED, 1, doc.toJson()));
        collar.run();
        assertEquals(before + 1, collar.channel.startNexts.size(), "start-next after the decision");
        collar.engine.offer(OtaFixture.execution(jobId, Status.IN_PROGRESS, 2, doc.toJson()));
        collar.run();
    }

    @Test
    void firmwareUpdateInstallsSwitchesRestartsAndCommitsAfterTheHealthCheck() throws Exception {
        JobDocument doc = publish(7, 6);
        runToRestart("fw-7", doc);
        assertEquals(List.of("downloading", "verifying", "installing", "restarting"), collar.channel.steps());
        assertEquals("0 %", collar.channel.updates.get(0).details().get("progress"));
        assertEquals(1, collar.restarts.size());
        BootState b = BootState.read(collar.slotsDir);
        assertEquals("a", b.committed());
        assertEquals("b", b.trial());

        collar.boot(); // systemd restarts the launcher, which starts the trial slot
        assertEquals("b", collar.slot);
        assertEquals(7, collar.slots.runningBuild());
        assertEquals("health-check", collar.channel.last().details().get("step"));
        collar.run();
        assertTrue(collar.events.isEmpty(), "not committed before the health check passes");
        collar.health = new HealthProbe.Health(true, true, true, 0);
        clock.advance(Duration.ofSeconds(30));
        collar.run();
        assertEquals(Status.SUCCEEDED, collar.channel.last().status());
        assertEquals("b", BootState.read(collar.slotsDir).committed());
        assertFalse(BootState.read(collar.slotsDir).hasTrial());
        assertEquals(List.of(5L, 7L, 0L), List.of(collar.events.get(0)[0], collar.events.get(0)[1],
                collar.events.get(0)[2]));
        assertEquals(6, new SecurityFloor(dir.resolve("ota")).get());

        collar.engine.accepted("fw-7", Status.SUCCEEDED);
        collar.run();
        assertNull(collar.engine.current());
        collar.boot(); // committed: the next start is b without a trial
        assertEquals("b", collar.slot);
        assertFalse(collar.slots.onTrial());
    }

    @Test
    void aTrialThatNeverConnectsRollsItselfBackAndTheOldBuildReportsFailed() throws Exception {
        runToRestart("fw-7", publish(7, 0));
        collar.boot();
        collar.health = new HealthProbe.Health(false, false, true, 0); // runs, reads sensors, never connects
        clock.advance(Duration.ofSeconds(601));
        collar.run();
        assertEquals(2, collar.restarts.size(), "the trial restarts itself out of the trial");
        assertEquals("a", BootState.read(collar.slotsDir).committed());
        assertFalse(BootState.read(collar.slotsDir).hasTrial());

        collar.boot();
        assertEquals("a", collar.slot);
        assertEquals(5, collar.slots.runningBuild());
        assertEquals(Status.FAILED, collar.channel.last().status());
        String reason = collar.channel.last().details().get("reason");
        assertTrue(reason.contains("health check failed") && reason.contains("not connected"), reason);
        assertEquals(List.of(5L, 7L, 1L), List.of(collar.events.get(0)[0], collar.events.get(0)[1],
                collar.events.get(0)[2]));
    }

    @Test
    void aTrialThatCrashesAtEveryStartGoesBackAfterThreeAttempts() throws Exception {
        runToRestart("fw-7", publish(7, 0));
        for (int i = 1; i <= 3; i++) {
            collar.boot(); // the trial build dies before it can do anything (the launcher counts the start)
            assertEquals("b", collar.slot, "trial start " + i);
        }
        collar.boot();
        assertEquals("a", collar.slot);
        assertEquals(Status.FAILED, collar.channel.last().status());
        assertTrue(collar.channel.last().details().get("reason").contains("3 trial starts without a commit"));
        assertEquals(1L, collar.events.get(0)[2]);
    }

    @Test
    void aRestartIntoTheOldBuildWithoutTheLauncherEndsTheTrialAndReportsFailed() throws Exception {
        runToRestart("fw-7", publish(7, 0));
        collar.startOn("a");
        assertEquals(Status.FAILED, collar.channel.last().status());
        assertEquals("restarted into build 5 instead of 7", collar.channel.last().details().get("reason"));
        assertFalse(BootState.read(collar.slotsDir).hasTrial(), "the pending trial is ended");
        assertEquals(1L, collar.events.get(0)[2]);
    }

    @Test
    void aFinalStatusIsSentAgainOnEveryConnectUntilAccepted() throws Exception {
        JobDocument doc = publish(4, 0);
        collar.engine.offer(OtaFixture.execution("old", Status.QUEUED, 1, doc.toJson()));
        collar.run();
        assertEquals(Status.REJECTED, collar.channel.last().status());
        collar.boot(); // restarted before the service answered
        collar.engine.connected();
        collar.run();
        assertEquals(Status.REJECTED, collar.channel.last().status());
        assertEquals("old", collar.channel.last().jobId());
        collar.engine.accepted("old", Status.REJECTED);
        collar.run();
        assertNull(collar.engine.current());
        collar.engine.connected();
        collar.run();
        assertEquals(List.of("$next"), collar.channel.describes);
    }

    @Test
    void refusesOlderEqualUnsignedWronglySignedAndBelowTheSecurityFloor() throws Exception {
        assertRejected(publish(4, 0).toJson(), "is not newer than the running firmware build 5");
        assertRejected(publish(5, 0).toJson(), "is not newer than the running firmware build 5");
        JobDocument good = publish(7, 0);
        String unsigned = good.toJson().replaceAll(",\"signature\":\"[^\"]*\"", "");
        assertRejected(unsigned, "signature: missing");
        JobDocument wrong = OtaFixture.document(JobOperation.FIRMWARE_UPDATE, 7, url,
                server.artifacts.get(url), OtaFixture.p256());
        assertRejected(wrong.toJson(), "does not verify with the trusted key");
        new SecurityFloor(dir.resolve("ota")).raise(9);
        assertRejected(publish(8, 0).toJson(), "below the minimum security version 9");
        assertTrue(collar.channel.startNexts.isEmpty());
        assertFalse(Files.exists(dir.resolve("slots/b")), "nothing installed");
    }

    private void assertRejected(String doc, String reason) throws Exception {
        String id = "job-" + collar.channel.updates.size();
        collar.engine.offer(OtaFixture.execution(id, Status.QUEUED, 1, doc));
        collar.run();
        OtaFixture.RecordingChannel.Update u = collar.channel.last();
        assertEquals(id, u.jobId());
        assertEquals(Status.REJECTED, u.status());
        assertTrue(u.details().get("reason").contains(reason), u.details().get("reason"));
        collar.engine.accepted(id, Status.REJECTED);
        collar.run();
    }

    @Test
    void corruptAndTruncatedArtifactsAreRejectedAfterDownloadAndNothingIsInstalled() throws Exception {
        JobDocument doc = publish(7, 0);
        byte[] corrupt = server.artifacts.get(url).clone();
        corrupt[corrupt.length / 2] ^= 1;
        server.artifacts.put(url, corrupt);
        runToRestart("fw-7", doc);
        assertEquals(Status.REJECTED, collar.channel.last().status());
        assertTrue(collar.channel.last().details().get("reason").startsWith("sha256:"));
        collar.engine.accepted("fw-7", Status.REJECTED);
        collar.run();

        JobDocument doc8 = publish(8, 0);
        byte[] a = server.artifacts.get(url);
        server.artifacts.put(url, java.util.Arrays.copyOf(a, a.length - 1000));
        runToRestart("fw-8", doc8);
        assertEquals(Status.REJECTED, collar.channel.last().status());
        assertTrue(collar.channel.last().details().get("reason").contains("the server's artifact has"));
        assertTrue(collar.restarts.isEmpty());
        assertFalse(Files.exists(dir.resolve("slots/b")));
    }

    @Test
    void anArtifactWhoseBuildDiffersFromTheDocumentIsRejected() throws Exception {
        byte[] artifact = OtaFixture.firmware(6, 0, 1000); // an old build relabelled as 9 in the document
        server.artifacts.put(url, artifact);
        JobDocument doc = OtaFixture.document(JobOperation.FIRMWARE_UPDATE, 9, url, artifact, keys);
        runToRestart("fw-9", doc);
        assertEquals(Status.REJECTED, collar.channel.last().status());
        assertTrue(collar.channel.last().details().get("reason").contains("the artifact is build 6"));
    }

    @Test
    void aLowBatteryDefersTheJobAndItIsDescribedAgainLater() throws Exception {
        JobDocument d = publish(7, 0);
        JobDocument doc = new JobDocument(d.operation(), d.version(), d.url(), d.size(), d.sha256(), d.signature(),
                java.util.OptionalInt.of(50));
        collar.batteryPct = 20;
        collar.engine.offer(OtaFixture.execution("fw-7", Status.QUEUED, 1, doc.toJson()));
        collar.run();
        assertTrue(collar.channel.updates.isEmpty(), "deferred: the execution stays queued");
        assertTrue(collar.channel.startNexts.isEmpty());
        clock.advance(Duration.ofSeconds(601));
        collar.run();
        assertEquals(List.of("$next"), collar.channel.describes);
        collar.batteryPct = 60;
        runToRestart("fw-7", doc);
        assertEquals(1, collar.restarts.size());
    }

    @Test
    void anExpiredUrlIsRenewedThroughTheJobAndTheDownloadResumes() throws Exception {
        JobDocument doc = publish(7, 0);
        server.dropEvery = 100_000;
        server.expired.add(url);
        runToRestart("fw-7", doc);
        assertEquals(List.of("fw-7"), collar.channel.describes, "asked the job for a new URL");
        URI fresh = URI.create("https://artifacts.example/fw-7?X-Amz-Signature=def");
        server.artifacts.put(fresh, server.artifacts.get(url));
        JobDocument renewed = new JobDocument(doc.operation(), doc.version(), fresh, doc.size(), doc.sha256(),
                doc.signature(), doc.minBatteryPct());
        collar.engine.offer(OtaFixture.execution("fw-7", Status.IN_PROGRESS, 3, renewed.toJson()));
        collar.run();
        assertEquals(1, collar.restarts.size());
        assertEquals("b", BootState.read(collar.slotsDir).trial());
    }

    @Test
    void diskFullBeforeTheDownloadFailsTheJob() throws Exception {
        JobDocument doc = publish(7, 0);
        collar.freeBytes = doc.size() + 500; // fits the contract check, not the 1 KiB reserve
        runToRestart("fw-7", doc);
        assertEquals(Status.FAILED, collar.channel.last().status());
        assertTrue(collar.channel.last().details().get("reason").contains("to keep free"));
    }

    @Test
    void aCanceledJobIsDroppedWithItsPartialDownload() throws Exception {
        JobDocument doc = publish(7, 0);
        collar.engine.offer(OtaFixture.execution("fw-7", Status.QUEUED, 1, doc.toJson()));
        collar.run();
        collar.engine.offer(OtaFixture.execution("fw-7", Status.CANCELED, 2, null));
        collar.run();
        assertNull(collar.engine.current());
        assertFalse(Files.exists(dir.resolve("ota/" + UpdateRecord.FILE)));
    }
}
