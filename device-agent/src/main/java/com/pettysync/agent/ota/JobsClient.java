package com.pettysync.agent.ota;

import com.pettysync.contract.job.JobsApi;
import com.pettysync.contract.job.JobsApi.Status;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.topic.JobsOperation;
import com.pettysync.contract.topic.JobsTopic;
import com.pettysync.contract.topic.ShadowOperation;
import com.pettysync.contract.topic.ShadowTopic;
import com.pettysync.contract.topic.ThingName;
import com.pettysync.contract.topic.TopicScheme;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.tinylog.Logger;

/**
 * The collar's AWS IoT Jobs client over the uplink's MQTT session
 * (https://docs.aws.amazon.com/iot/latest/developerguide/jobs-mqtt-api.html), feeding an {@link UpdateEngine}.
 *
 * <pre>
 * on connect        → jobs/$next/get  (describe: a job in progress resumes, a queued one is decided on)
 * jobs/notify-next, jobs/start-next/accepted, jobs/{id}/get/accepted  → {@link UpdateEngine#offer}
 * engine: start-next → jobs/start-next {statusDetails}
 * engine: update     → jobs/{id}/update {status, statusDetails, expectedVersion, includeJobExecutionState}
 * jobs/{id}/update/accepted → the execution's new version; a final status → {@link UpdateEngine#accepted}
 * jobs/{id}/update/rejected VersionMismatch → resent with the service's version (or after a describe)
 * jobs/{id}/update/rejected InvalidStateTransition → the execution is already final: nothing more to say
 * </pre>
 *
 * <p>Updates of a job go one at a time (each waits for its reply, so {@code expectedVersion} is always the one the
 * service holds); while one is unanswered only the newest next one is kept (progress is coalesced; a final status
 * is never replaced). The unanswered update is re-sent after every reconnect. The topics are subscribed by the
 * uplink's subscription list ({@link TopicScheme#collarSubscriptions}). It also reports the firmware build and
 * model version in the named shadow {@code config}'s {@code reported} section ({@code firmwareBuild},
 * {@code modelVersion}) on every connect and whenever they change.
 *
 * <p>Thread-safe: the MQTT side ({@link #connected}, {@link #message}) and the engine's thread may call it at once.
 */
public final class JobsClient implements JobChannel {
    /** Where MQTT publishes go (QoS 1): the uplink's control lane, or the simulator's own session. */
    @FunctionalInterface
    public interface Transport {
        void publish(String topic, byte[] payload);
    }

    private record Pending(String jobId, Status status, Map<String, String> details) {
        boolean terminal() {
            return status != Status.IN_PROGRESS;
        }
    }

    private final ThingName thing;
    private final Transport transport;
    private final String prefix;
    private UpdateEngine engine;
    private boolean connected;
    private Pending sending;
    private Pending next;
    private final Map<String, Long> versions = new java.util.HashMap<>();
    private long reportedBuild = -1;
    private long reportedModel = -1;

    public JobsClient(ThingName thing, Transport transport) {
        this.thing = thing;
        this.transport = transport;
        String notify = JobsTopic.of(thing, JobsOperation.NOTIFY_NEXT).name();
        this.prefix = notify.substring(0, notify.length() - "notify-next".length());
    }

    /** The engine that receives executions (set once; if the session is already up, the engine is told so). */
    public synchronized void bind(UpdateEngine e) {
        this.engine = e;
        if (connected) {
            e.connected();
        }
    }

    /** The MQTT session is up (subscriptions made): describe the next job and re-send what is unanswered. */
    public synchronized void connected() {
        connected = true;
        publishVersions();
        if (sending != null) {
            send(sending);
        }
        if (engine != null) {
            engine.connected();
        }
    }

    /** The MQTT session is gone: replies to what was sent will not come. */
    public synchronized void disconnected() {
        connected = false;
    }

    /** The versions in service changed: report them to the shadow. */
    public synchronized void versionsChanged(long firmwareBuild, long modelVersion) {
        reportedBuild = firmwareBuild;
        reportedModel = modelVersion;
        publishVersions();
    }

    private void publishVersions() {
        if (!connected || reportedBuild < 0) {
            return;
        }
        var root = JsonTrees.object();
        var reported = root.putObject("state").putObject("reported");
        reported.put("firmwareBuild", reportedBuild);
        reported.put("modelVersion", reportedModel);
        transport.publish(ShadowTopic.config(thing, ShadowOperation.UPDATE).name(), JsonTrees.bytes(root));
    }

    /** A message on a subscribed topic; messages that are not Jobs messages are ignored. */
    public void message(String topic, byte[] payload) {
        if (!topic.startsWith(prefix)) {
            return;
        }
        String rest = topic.substring(prefix.length());
        String json = new String(payload, StandardCharsets.UTF_8);
        try {
            if (rest.equals("notify-next")) {
                offer(JobsApi.read(json, JobsApi.NotifyNext.class).execution());
            } else if (rest.equals("start-next/accepted")) {
                offer(JobsApi.read(json, JobsApi.ExecutionResponse.class).execution());
            } else if (rest.equals("start-next/rejected")) {
                Logger.warn("jobs start-next rejected: {}", brief(json));
            } else if (rest.endsWith("/get/accepted")) {
                offer(JobsApi.read(json, JobsApi.ExecutionResponse.class).execution());
            } else if (rest.endsWith("/get/rejected")) {
                Logger.warn("jobs describe {} rejected: {}", rest, brief(json));
            } else if (rest.endsWith("/update/accepted")) {
                updateAccepted(rest.substring(0, rest.length() - "/update/accepted".length()),
                        JobsApi.read(json, JobsApi.UpdateAccepted.class));
            } else if (rest.endsWith("/update/rejected")) {
                updateRejected(rest.substring(0, rest.length() - "/update/rejected".length()),
                        JobsApi.read(json, JobsApi.Rejected.class));
            }
        } catch (IllegalArgumentException e) {
            Logger.warn("jobs message on {} unreadable: {}", topic, e.getMessage());
        }
    }

    private void offer(JobsApi.Execution e) {
        if (e == null) {
            return;
        }
        UpdateEngine target;
        synchronized (this) {
            if (e.versionNumber() != null) {
                versions.put(e.jobId(), e.versionNumber());
            }
            target = engine;
        }
        if (target != null) {
            target.offer(e);
        }
    }

    private void updateAccepted(String jobId, JobsApi.UpdateAccepted a) {
        Pending done;
        UpdateEngine target;
        synchronized (this) {
            if (a.executionState() != null && a.executionState().versionNumber() != null) {
                versions.put(jobId, a.executionState().versionNumber());
            }
            if (sending == null || !sending.jobId().equals(jobId)) {
                return;
            }
            done = sending;
            sending = null;
            if (next != null) {
                Pending n = next;
                next = null;
                sending = n;
                send(n);
            }
            target = engine;
        }
        if (done.terminal() && target != null) {
            target.accepted(jobId, done.status());
        }
    }

    private void updateRejected(String jobId, JobsApi.Rejected r) {
        Pending done = null;
        UpdateEngine target;
        synchronized (this) {
            if (sending == null || !sending.jobId().equals(jobId)) {
                return;
            }
            Logger.info("jobs update of {} rejected: {} {}", jobId, r.code(), r.message());
            if ("VersionMismatch".equals(r.code()) && r.executionState() != null
                    && r.executionState().versionNumber() != null) {
                versions.put(jobId, r.executionState().versionNumber());
                send(sending);
            } else if ("VersionMismatch".equals(r.code())) {
                versions.remove(jobId);
                send(sending);
            } else {
                // InvalidStateTransition, ResourceNotFound, InvalidRequest: this update can never succeed
                done = sending;
                sending = next;
                next = null;
                if (sending != null) {
                    send(sending);
                }
            }
            target = engine;
        }
        if (done != null && done.terminal() && target != null) {
            target.accepted(jobId, done.status());
        }
    }

    @Override
    public synchronized void startNext(Map<String, String> statusDetails) {
        publish(JobsTopic.of(thing, JobsOperation.START_NEXT).name(),
                JobsApi.toJson(new JobsApi.StartNextRequest(statusDetails, null, null)));
    }

    @Override
    public synchronized void update(String jobId, Status status, Map<String, String> statusDetails) {
        Pending p = new Pending(jobId, status, Map.copyOf(statusDetails));
        if (sending == null || !connected && !sending.terminal()) {
            sending = p;
            send(p);
        } else if (next == null || !next.terminal() || p.terminal()) {
            next = p;
        }
    }

    @Override
    public synchronized void describe(String jobId) {
        publish(JobsTopic.of(thing, JobsOperation.JOB_GET, jobId).name(),
                JobsApi.toJson(new JobsApi.DescribeRequest(null, true, null)));
    }

    private void send(Pending p) {
        JobsApi.UpdateRequest req = new JobsApi.UpdateRequest(p.status(), p.details().isEmpty() ? null
                : p.details(), versions.get(p.jobId()), null, true, null, null, null);
        publish(JobsTopic.of(thing, JobsOperation.JOB_UPDATE, p.jobId()).name(), JobsApi.toJson(req));
    }

    private void publish(String topic, String json) {
        if (!connected) {
            return; // re-sent or re-asked on the next connect
        }
        transport.publish(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String brief(String json) {
        return json.length() > 200 ? json.substring(0, 200) : json;
    }
}
