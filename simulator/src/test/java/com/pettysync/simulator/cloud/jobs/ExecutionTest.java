package com.pettysync.simulator.cloud.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.MutableClock;
import com.pettysync.simulator.cloud.jobs.JobService.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Execution}'s state machine and request field limits, and {@link ThingQueues}' choice of next pending. */
class ExecutionTest {
    private final ObjectMapper json = new ObjectMapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private Job job(String id, Optional<Duration> inProgressTimeout) {
        JobConfig config = new JobConfig(Optional.empty(), List.of(), inProgressTimeout, Optional.empty());
        return new Job(id, json.createObjectNode(), false, config, List.of("collar-1"), clock.instant());
    }

    private JsonNode node(String text) throws Exception {
        return json.readTree(text);
    }

    @Test
    void startedAtIsStampedOnceAndEveryChangeBumpsTheVersion() {
        Execution e = new Execution(job("a", Optional.empty()), "collar-1", clock.instant().getEpochSecond());
        long queuedAt = e.queuedAt;
        clock.advance(Duration.ofSeconds(30));
        e.change(Status.IN_PROGRESS, null, clock);
        clock.advance(Duration.ofSeconds(30));
        e.change(Status.IN_PROGRESS, null, clock);
        assertEquals(queuedAt + 30, e.startedAt);
        assertEquals(queuedAt + 60, e.lastUpdatedAt);
        assertEquals(queuedAt + 60, e.job.lastUpdatedAt);
        assertEquals(3, e.versionNumber);
    }

    @Test
    void stepTimeoutIsResetByEachProgressUpdateAndInProgressTimeoutIsNot() {
        Execution step = new Execution(job("a", Optional.empty()), "collar-1", 0);
        step.change(Status.IN_PROGRESS, 5, clock);
        clock.advance(Duration.ofMinutes(4));
        step.change(Status.IN_PROGRESS, 5, clock);
        clock.advance(Duration.ofMinutes(4));
        assertFalse(step.timedOut(clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(step.timedOut(clock.instant()));

        Execution overall = new Execution(job("b", Optional.of(Duration.ofMinutes(6))), "collar-1", 0);
        overall.change(Status.IN_PROGRESS, null, clock);
        clock.advance(Duration.ofMinutes(5));
        overall.change(Status.IN_PROGRESS, null, clock);
        assertFalse(overall.timedOut(clock.instant()));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(overall.timedOut(clock.instant()));
        overall.change(Status.SUCCEEDED, null, clock);
        assertFalse(overall.timedOut(clock.instant()), "only IN_PROGRESS executions time out");
    }

    @Test
    void statusDetailsWithinAwsLimitsOnly() throws Exception {
        assertNull(Execution.statusDetails(null));
        assertEquals(Map.of("step:1", "download"), Execution.statusDetails(node("{\"step:1\":\"download\"}")));
        StringBuilder eleven = new StringBuilder("{");
        for (int i = 0; i <= 10; i++) {
            eleven.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        JsonNode tooMany = node(eleven.append("}").toString());
        assertThrows(IllegalArgumentException.class, () -> Execution.statusDetails(tooMany));
        JsonNode badKey = node("{\"a b\":\"v\"}");
        assertThrows(IllegalArgumentException.class, () -> Execution.statusDetails(badKey));
        JsonNode empty = node("{\"k\":\"\"}");
        assertThrows(IllegalArgumentException.class, () -> Execution.statusDetails(empty));
        JsonNode tooLong = node("{\"k\":\"" + "x".repeat(1025) + "\"}");
        assertThrows(IllegalArgumentException.class, () -> Execution.statusDetails(tooLong));
        JsonNode number = node("{\"k\":1}");
        assertThrows(IllegalArgumentException.class, () -> Execution.statusDetails(number));
    }

    @Test
    void stepTimeoutFromOneMinuteToOneWeek() throws Exception {
        assertEquals(1, Execution.stepTimeoutMinutes(node("1")));
        assertEquals(10080, Execution.stepTimeoutMinutes(node("10080")));
        for (String bad : List.of("0", "10081", "1.5", "\"5\"")) {
            JsonNode n = node(bad);
            assertThrows(IllegalArgumentException.class, () -> Execution.stepTimeoutMinutes(n), bad);
        }
    }

    @Test
    void nextPendingIsTheOneInProgressElseTheOldestQueued() {
        ThingQueues queues = new ThingQueues();
        Execution older = new Execution(job("a", Optional.empty()), "collar-1", 0);
        Execution newer = new Execution(job("b", Optional.empty()), "collar-1", 1);
        queues.add(older);
        queues.add(newer);
        assertSame(older, queues.nextPending("collar-1"));
        newer.change(Status.IN_PROGRESS, null, clock);
        assertSame(newer, queues.nextPending("collar-1"));
        newer.change(Status.SUCCEEDED, null, clock);
        older.change(Status.CANCELED, null, clock);
        assertNull(queues.nextPending("collar-1"));
        assertSame(newer, queues.find("collar-1", "b"));
        assertNull(queues.find("collar-2", "b"));
    }
}
