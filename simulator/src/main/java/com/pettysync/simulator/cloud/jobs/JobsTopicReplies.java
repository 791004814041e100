package com.pettysync.simulator.cloud.jobs;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.simulator.cloud.Outbound;
import com.pettysync.simulator.cloud.jobs.JobService.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON shapes of the {@code $aws/things/{thing}/jobs/...} topics (see {@link JobService}'s table): accepted and
 * rejected replies, execution, execution-state and job-summary nodes, the {@code notify-next} and {@code notify}
 * notifications, and the job document as handed to a device (presigned-URL placeholders replaced). Renders only;
 * called under JobService's lock.
 */
final class JobsTopicReplies {
    private final ObjectMapper json = new ObjectMapper();
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;
    private final Clock clock;
    private final PresignedPlaceholders placeholders;
    private final ThingQueues queues;

    JobsTopicReplies(Clock clock, PresignedPlaceholders placeholders, ThingQueues queues) {
        this.clock = clock;
        this.placeholders = placeholders;
        this.queues = queues;
    }

    /**
     * {@code $aws/things/{thing}/jobs/}, the prefix of every jobs topic of {@code thing}. Not the contract's
     * {@code TopicScheme.jobsPrefix(ThingName)}: {@code thing} is the topic level as published (an operator
     * connection may publish on any thing's topics) or a job target as given to {@code createJob}, neither validated
     * as a thing name; the service answers every one of them.
     */
    static String base(String thing) {
        return "$aws/things/" + thing + "/jobs/";
    }

    ObjectNode object() {
        return nodes.objectNode();
    }

    /** {@code reply} with {@code timestamp} and {@code clientToken} (when given) added, on {@code topic}. */
    Outbound accepted(String topic, ObjectNode reply, String token) {
        return message(topic, stamped(reply, token));
    }

    /** {@code node} on {@code topic}. */
    Outbound message(String topic, JsonNode node) {
        return Outbound.json(topic, write(node));
    }

    /** A rejection: {@code code, message, clientToken?, timestamp, executionState?}. */
    Outbound rejected(String topic, String code, String message, String token, Execution stateOf) {
        ObjectNode r = nodes.objectNode();
        r.put("code", code);
        r.put("message", message);
        if (token != null) {
            r.put("clientToken", token);
        }
        r.put("timestamp", now());
        if (stateOf != null) {
            r.set("executionState", stateNode(stateOf));
        }
        return message(topic, r);
    }

    /** The rejection of a request whose payload is not a JSON object. */
    Outbound invalidJson(String topic, String token) {
        return rejected(topic, "InvalidRequest", "Invalid JSON", token, null);
    }

    /** The rejection of a request naming an execution {@code thing} does not have. */
    Outbound notFound(String topic, String thing, String jobId, String token) {
        return rejected(topic, "ResourceNotFound", "Job Execution " + jobId + " not found for thing " + thing,
                token, null);
    }

    /** {@code inProgressJobs} and {@code queuedJobs}: summaries of {@code thing}'s unfinished executions. */
    ObjectNode listing(String thing) {
        ObjectNode reply = nodes.objectNode();
        ArrayNode inProgress = reply.putArray("inProgressJobs");
        ArrayNode queued = reply.putArray("queuedJobs");
        for (Execution e : queues.of(thing)) {
            if (e.status == Status.IN_PROGRESS) {
                inProgress.add(summary(e));
            } else if (e.status == Status.QUEUED) {
                queued.add(summary(e));
            }
        }
        return reply;
    }

    /** notify-next when the next pending execution is no longer {@code before} (or changed), plus notify. */
    List<Outbound> notifications(String thing, Execution before) {
        String base = base(thing);
        List<Outbound> out = new ArrayList<>();
        Execution next = queues.nextPending(thing);
        if (next != before) {
            ObjectNode msg = nodes.objectNode();
            msg.put("timestamp", now());
            if (next != null) {
                msg.set("execution", executionNode(next, true));
            }
            out.add(message(base + "notify-next", msg));
        }
        ObjectNode notify = nodes.objectNode();
        notify.put("timestamp", now());
        ObjectNode jobs = notify.putObject("jobs");
        ObjectNode listing = listing(thing);
        if (!listing.get("queuedJobs").isEmpty()) {
            jobs.set("QUEUED", listing.get("queuedJobs"));
        }
        if (!listing.get("inProgressJobs").isEmpty()) {
            jobs.set("IN_PROGRESS", listing.get("inProgressJobs"));
        }
        out.add(message(base + "notify", notify));
        return out;
    }

    ObjectNode executionNode(Execution e, boolean withDocument) {
        ObjectNode x = nodes.objectNode();
        x.put("jobId", e.jobId);
        x.put("thingName", e.thing);
        x.put("status", e.status.name());
        if (!e.statusDetails.isEmpty()) {
            ObjectNode d = x.putObject("statusDetails");
            e.statusDetails.forEach(d::put);
        }
        putTimesAndVersions(x, e);
        if (withDocument) {
            x.set("jobDocument", document(e));
        }
        return x;
    }

    ObjectNode stateNode(Execution e) {
        ObjectNode s = nodes.objectNode();
        s.put("status", e.status.name());
        ObjectNode d = s.putObject("statusDetails");
        e.statusDetails.forEach(d::put);
        s.put("versionNumber", e.versionNumber);
        return s;
    }

    /** The execution's document as handed to its device: presigned-URL placeholders replaced by fresh URLs. */
    JsonNode document(Execution e) {
        Job job = e.job;
        if (!job.presigned) {
            return job.document.deepCopy();
        }
        return placeholders.substitute(job.document, job.config.presignedUrlExpiry().orElseThrow());
    }

    private ObjectNode summary(Execution e) {
        ObjectNode s = nodes.objectNode();
        s.put("jobId", e.jobId);
        putTimesAndVersions(s, e);
        return s;
    }

    private static void putTimesAndVersions(ObjectNode node, Execution e) {
        node.put("queuedAt", e.queuedAt);
        if (e.startedAt != null) {
            node.put("startedAt", e.startedAt);
        }
        node.put("lastUpdatedAt", e.lastUpdatedAt);
        node.put("versionNumber", e.versionNumber);
        node.put("executionNumber", e.executionNumber);
    }

    /** {@code reply} with {@code timestamp} and {@code clientToken} (when given) added. */
    ObjectNode stamped(ObjectNode reply, String token) {
        reply.put("timestamp", now());
        if (token != null) {
            reply.put("clientToken", token);
        }
        return reply;
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }
}
