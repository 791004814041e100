package com.pettysync.simulator.cloud.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.Outbound;
import com.pettysync.simulator.cloud.jobs.JobConfig.AbortCriterion;
import com.pettysync.simulator.cloud.jobs.JobConfig.FailureType;
import com.pettysync.simulator.cloud.jobs.JobConfig.IncreaseCriterion;
import com.pettysync.simulator.cloud.jobs.JobConfig.Rollout;
import com.pettysync.simulator.cloud.jobs.JobService.JobStatus;
import com.pettysync.simulator.cloud.jobs.JobService.Status;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The job-level semantics of the local Jobs service: rollout rate, abort criteria, timeouts, cancel, presigned URLs. */
class JobRolloutTest {
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<String> presigned = new ArrayList<>();
    private final JobService jobs = new JobService(clock, new ArtifactUrls() {
        @Override
        public void check(URI objectUrl) {
            if (!objectUrl.getPath().startsWith("/ota/")) {
                throw new IllegalArgumentException("no bucket " + objectUrl.getPath());
            }
        }

        @Override
        public String presign(URI objectUrl, Duration expiry) {
            String url = objectUrl + "?X-Amz-Expires=" + expiry.toSeconds() + "&n=" + presigned.size();
            presigned.add(url);
            return url;
        }
    });

    private static List<String> things(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("collar-%04d", i)).toList();
    }

    private static JobConfig config(Optional<Rollout> rollout, List<AbortCriterion> abort, Duration timeout) {
        return new JobConfig(rollout, abort, Optional.ofNullable(timeout), Optional.empty());
    }

    private int released(String job) {
        return jobs.executions(job).size();
    }

    private void finish(String thing, String job, String status) {
        jobs.handle(thing, job + "/update", ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void constantRateReleasesAtMostMaximumPerMinute() {
        jobs.createJob("fw", things(25), "{}", config(Optional.of(Rollout.constant(10)), List.of(), null));
        assertEquals(10, released("fw"), "first minute");
        clock.advance(Duration.ofSeconds(59));
        jobs.advance();
        assertEquals(10, released("fw"), "still the first minute");
        clock.advance(Duration.ofSeconds(1));
        jobs.advance();
        assertEquals(20, released("fw"));
        clock.advance(Duration.ofMinutes(1));
        jobs.advance();
        assertEquals(25, released("fw"));
        assertEquals(0, jobs.job("fw").orElseThrow().notReleased());
    }

    @Test
    void exponentialRateGrowsByTheFactorEachTimeTheCriterionIsMet() {
        // base 10, ×2 per 10 notified, max 35: minutes release 10, 20, 35, 35 …
        Rollout r = new Rollout(35, 10, 2, IncreaseCriterion.NOTIFIED, 10);
        jobs.createJob("fw", things(200), "{}", config(Optional.of(r), List.of(), null));
        List<Integer> perMinute = new ArrayList<>();
        int before = 0;
        for (int minute = 0; minute < 4; minute++) {
            jobs.advance();
            perMinute.add(released("fw") - before);
            before = released("fw");
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(List.of(10, 20, 35, 35), perMinute);
    }

    @Test
    void succeededCriterionWaitsForSuccesses() {
        Rollout r = new Rollout(100, 5, 3, IncreaseCriterion.SUCCEEDED, 5);
        jobs.createJob("fw", things(100), "{}", config(Optional.of(r), List.of(), null));
        clock.advance(Duration.ofMinutes(1));
        jobs.advance();
        assertEquals(10, released("fw"), "no success yet: still the base rate");
        jobs.executions("fw").stream().limit(5).forEach(e -> finish(e.thing(), "fw", "SUCCEEDED"));
        clock.advance(Duration.ofMinutes(1));
        jobs.advance();
        assertEquals(25, released("fw"), "5 succeeded: rate 15");
    }

    @Test
    void abortCriterionCancelsTheJobOnceEnoughExecutionsEnded() {
        AbortCriterion abort = new AbortCriterion(FailureType.FAILED, 10, 10);
        jobs.createJob("fw", things(100), "{}", config(Optional.of(Rollout.constant(20)), List.of(abort), null));
        List<JobService.ExecutionView> first = jobs.executions("fw");
        // 2 failures among the first 8 ended: 25 % but fewer than 10 executed — no abort
        for (int i = 0; i < 8; i++) {
            finish(first.get(i).thing(), "fw", i < 2 ? "FAILED" : "SUCCEEDED");
        }
        assertEquals(JobStatus.IN_PROGRESS, jobs.job("fw").orElseThrow().status());
        jobs.handle(first.get(8).thing(), "fw/update", "{\"status\":\"IN_PROGRESS\"}".getBytes(StandardCharsets.UTF_8));
        finish(first.get(9).thing(), "fw", "SUCCEEDED");
        assertEquals(JobStatus.IN_PROGRESS, jobs.job("fw").orElseThrow().status(), "9 ended");
        finish(first.get(10).thing(), "fw", "SUCCEEDED");
        JobService.JobView job = jobs.job("fw").orElseThrow();
        assertEquals(JobStatus.CANCELED, job.status(), "2 of 10 ended = 20 % ≥ 10 %");
        assertEquals(JobService.ABORTED, job.reasonCode());
        assertEquals(Status.IN_PROGRESS, jobs.execution(first.get(8).thing(), "fw").orElseThrow().status(),
                "an abort leaves running executions to finish");
        assertEquals(Status.CANCELED, jobs.execution(first.get(19).thing(), "fw").orElseThrow().status());
        clock.advance(Duration.ofMinutes(5));
        jobs.advance();
        assertEquals(20, released("fw"), "nothing released after the abort");
        assertEquals(80, jobs.job("fw").orElseThrow().notReleased());
    }

    @Test
    void inProgressTimeoutTimesOutFromTheStartEvenWithProgressUpdates() {
        jobs.createJob("fw", things(1), "{}", config(Optional.empty(), List.of(), Duration.ofMinutes(30)));
        jobs.handle("collar-0000", "start-next", "{}".getBytes(StandardCharsets.UTF_8));
        clock.advance(Duration.ofMinutes(29));
        jobs.handle("collar-0000", "fw/update", "{\"status\":\"IN_PROGRESS\",\"statusDetails\":{\"step\":\"d\"}}"
                .getBytes(StandardCharsets.UTF_8));
        jobs.advance();
        assertEquals(Status.IN_PROGRESS, jobs.execution("collar-0000", "fw").orElseThrow().status());
        clock.advance(Duration.ofMinutes(1));
        jobs.advance();
        assertEquals(Status.TIMED_OUT, jobs.execution("collar-0000", "fw").orElseThrow().status());
        assertEquals(JobStatus.COMPLETED, jobs.job("fw").orElseThrow().status());
    }

    @Test
    void cancelWithoutForceLeavesInProgressExecutionsAndWithForceCancelsThem() {
        jobs.createJob("fw", things(3), "{}");
        jobs.handle("collar-0000", "start-next", "{}".getBytes(StandardCharsets.UTF_8));
        jobs.cancelJob("fw", false, "OPERATOR", "bad build");
        assertEquals(Status.IN_PROGRESS, jobs.execution("collar-0000", "fw").orElseThrow().status());
        assertEquals(Status.CANCELED, jobs.execution("collar-0001", "fw").orElseThrow().status());
        assertEquals("OPERATOR", jobs.job("fw").orElseThrow().reasonCode());
        assertThrows(IllegalStateException.class, () -> jobs.cancelJob("fw", false, null, null));
        jobs.cancelJob("fw", true, null, null);
        assertEquals(Status.CANCELED, jobs.execution("collar-0000", "fw").orElseThrow().status());
        assertTrue(jobs.job("fw").orElseThrow().forceCanceled());
        assertThrows(java.util.NoSuchElementException.class, () -> jobs.cancelJob("nope", true, null, null));
    }

    @Test
    void presignedPlaceholderIsReplacedAnewForEachDelivery() throws Exception {
        String doc = "{\"operation\":\"firmware-update\",\"url\":\"${aws:iot:s3-presigned-url:https://localhost:1/ota/fw.bin}\"}";
        JobConfig presign = new JobConfig(Optional.empty(), List.of(), Optional.empty(),
                Optional.of(Duration.ofMinutes(10)));
        List<Outbound> out = jobs.createJob("fw", things(1), doc, presign);
        JsonNode next = json.readTree(out.stream().filter(o -> o.topic().endsWith("notify-next")).findFirst()
                .orElseThrow().text());
        assertEquals("https://localhost:1/ota/fw.bin?X-Amz-Expires=600&n=0", next.at("/execution/jobDocument/url")
                .asText());
        Outbound started = jobs.handle("collar-0000", "start-next", "{}".getBytes(StandardCharsets.UTF_8)).get(0);
        assertEquals("https://localhost:1/ota/fw.bin?X-Amz-Expires=600&n=1",
                json.readTree(started.text()).at("/execution/jobDocument/url").asText());
        assertThrows(IllegalArgumentException.class, () -> jobs.createJob("fw2", things(1), doc, JobConfig.DEFAULT),
                "a placeholder needs presignedUrlConfig");
        assertThrows(IllegalArgumentException.class, () -> jobs.createJob("fw3", things(1),
                doc.replace("/ota/", "/other/"), presign), "an object the store cannot presign");
        assertFalse(jobs.job("fw3").isPresent());
    }

    @Test
    void configRefusesAwsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new Rollout(1001, 0, 1, IncreaseCriterion.NOTIFIED, 1));
        assertThrows(IllegalArgumentException.class, () -> new Rollout(100, 10, 1.0, IncreaseCriterion.NOTIFIED, 1));
        assertThrows(IllegalArgumentException.class, () -> new AbortCriterion(FailureType.ALL, 101, 1));
        assertThrows(IllegalArgumentException.class, () -> config(Optional.empty(), List.of(),
                Duration.ofSeconds(30)));
    }
}
