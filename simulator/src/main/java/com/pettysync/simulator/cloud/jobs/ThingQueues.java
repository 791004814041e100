package com.pettysync.simulator.cloud.jobs;

import com.pettysync.simulator.cloud.jobs.JobService.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each thing's executions in queue order, and which one is its next pending execution as AWS picks it (the one
 * IN_PROGRESS, else the oldest QUEUED). Mutable; called under JobService's lock.
 */
final class ThingQueues {
    /** thing → executions in queue order. */
    private final Map<String, List<Execution>> byThing = new LinkedHashMap<>();

    void add(Execution e) {
        byThing.computeIfAbsent(e.thing, k -> new ArrayList<>()).add(e);
    }

    /** {@code thing}'s executions in queue order (empty for a thing without any). */
    List<Execution> of(String thing) {
        return byThing.getOrDefault(thing, List.of());
    }

    /** {@code thing}'s next pending execution, or null. */
    Execution nextPending(String thing) {
        Execution queued = null;
        for (Execution e : of(thing)) {
            if (e.status == Status.IN_PROGRESS) {
                return e;
            }
            if (e.status == Status.QUEUED && queued == null) {
                queued = e;
            }
        }
        return queued;
    }

    /** {@code thing}'s execution of {@code jobId}, or null. */
    Execution find(String thing, String jobId) {
        for (Execution e : of(thing)) {
            if (e.jobId.equals(jobId)) {
                return e;
            }
        }
        return null;
    }
}
