package com.pettysync.agent.ota;

import com.pettysync.contract.job.CollarFacts;
import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobDocumentCheck;
import com.pettysync.contract.job.JobDocumentException;
import com.pettysync.contract.job.JobOperation;
import com.pettysync.contract.job.JobVerdict;
import com.pettysync.contract.job.JobsApi;
import com.pettysync.contract.job.JobsApi.Status;
import com.pettysync.contract.topic.JobsTopic;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.tinylog.Logger;

/**
 * The collar's update engine: takes AWS IoT Jobs executions (through {@link #offer}), decides on them (contract §7
 * with {@link JobDocumentCheck}, plus the {@link SecurityFloor}), downloads ({@link ResumableDownload}), verifies,
 * installs a firmware build into the inactive slot and restarts into it as a trial ({@link FirmwareSlots},
 * {@link Restart}), health-checks the trial and commits it or rolls it back, or hot-swaps a model
 * ({@link ModelSlot}), and reports every step on the job ({@link JobChannel}).
 *
 * <p><b>Threading.</b> {@link #offer}, {@link #accepted} and {@link #connected} may be called from any thread (the
 * MQTT thread): they queue and call the wake hook. Everything else happens in {@link #step()}, on one thread (the
 * agent's {@code ota} thread; the simulator's own loop), which may block for a whole download.
 *
 * <p><b>Guarantee.</b> One job at a time, kept in the {@link UpdateRecord} across restarts: a download resumes, a
 * trial is checked by the new build and committed only when {@link HealthProbe.Health#passes()} within
 * {@link Settings#healthCheck()}, and when the previous build runs again after a switch (the trial crashed three
 * times, hung until the watchdog killed it, or failed its health check and rolled itself back) that build reports
 * FAILED with the reason and records event type 8 outcome 1. Nothing is installed before its size, SHA-256 and
 * ECDSA signature match (signature checked before the download, digest after) and its version passes the
 * anti-rollback rules. A final status is re-sent after every reconnect until the service accepts it.
 *
 * <p>Status details on the job ({@code statusDetails}): {@code step} = downloading | verifying | installing |
 * restarting | health-check, {@code progress} = "N %" while downloading, {@code reason} with a refusal or failure,
 * {@code from} and {@code to} = the versions.
 */
public final class UpdateEngine {
    /**
     * Timing.
     *
     * @param healthCheck how long a trial build has to pass its health check
     * @param deferRecheck when a job deferred for the battery is looked at again
     * @param networkRetry when a download that failed for the network is tried again
     */
    public record Settings(Duration healthCheck, Duration deferRecheck, Duration networkRetry) {
        /** 5 min health check, 10 min deferral, 1 min network retry. */
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(5), Duration.ofMinutes(10),
                Duration.ofMinutes(1));
    }

    /** Records contract event type 8 ({@code [old_build, new_build, outcome]}). */
    @FunctionalInterface
    public interface FirmwareEvents {
        void applied(long oldBuild, long newBuild, boolean rolledBack);
    }

    /** The restart into the other slot: the real one ends the process (systemd starts the launcher again). */
    @FunctionalInterface
    public interface Restart {
        void restart(String why);
    }

    /** Told when the firmware build or model version in service changed (for the shadow's reported section). */
    @FunctionalInterface
    public interface VersionsListener {
        void changed(long firmwareBuild, long modelVersion);
    }

    /**
     * Everything the engine uses from outside.
     *
     * @param directory {@code <data>/ota}: the update record, the security floor, downloads under {@code download/}
     * @param trustedKey the fleet's code-signing key (from the certificate in the configuration), or null when
     *     none is configured (every job is then refused)
     */
    public record Parts(Path directory, PublicKey trustedKey, FirmwareSlots slots, ModelSlot models,
            ResumableDownload download, JobChannel channel, HealthProbe health, FirmwareEvents events,
            Restart restart, IntSupplier batteryPct, LongSupplier freeBytes, Clock clock, Runnable wake,
            VersionsListener versions) {}

    private sealed interface Input {}

    private record Offer(JobsApi.Execution execution) implements Input {}

    private record Accepted(String jobId, Status status) implements Input {}

    private record Connected() implements Input {}

    private final Parts p;
    private final Settings settings;
    private final JobDocumentCheck check;
    private final SecurityFloor floor;
    private final ConcurrentLinkedQueue<Input> inbox = new ConcurrentLinkedQueue<>();
    private UpdateRecord job;
    private Instant deferUntil = Instant.MAX;
    private Instant retryAt = Instant.MIN;
    private Instant trialDeadline;
    private boolean waitingForUrl;
    private int lastProgressDecile = -1;
    private long modelVersion;

    public UpdateEngine(Parts parts, Settings settings) {
        this.p = parts;
        this.settings = settings;
        this.check = parts.trustedKey() == null ? null : new JobDocumentCheck(parts.trustedKey());
        this.floor = new SecurityFloor(parts.directory());
        this.modelVersion = parts.models().runningVersion();
    }

    /** Picks up a job kept from before the restart; call once, before the first {@link #step()}. */
    public void start() {
        job = UpdateRecord.load(p.directory());
        if (job == null) {
            return;
        }
        long running = p.slots().runningBuild();
        JobDocument d = job.document();
        Logger.info("update {} resumed in phase {} (running build {})", job.jobId(), job.phase(), running);
        switch (job.phase()) {
            case STARTING, REPORTING, DOWNLOAD -> { }
            case SWITCHED -> {
                if (running == d.version() && p.slots().onTrial()) {
                    trialDeadline = p.clock().instant().plus(settings.healthCheck());
                    report(Status.IN_PROGRESS, details("health-check", null));
                } else if (running == d.version()) {
                    finish(Status.SUCCEEDED, ""); // committed, but the record was not updated before a cut
                } else {
                    String last = p.slots().lastOutcome();
                    String reason = last.startsWith("rolled back") ? last
                            : "restarted into build " + running + " instead of " + d.version();
                    if (!last.startsWith("rolled back")) {
                        try {
                            p.slots().rollback(reason); // a switch nobody started (no launcher): end its trial
                        } catch (IOException e) {
                            Logger.warn("cannot end the pending trial: {}", e.toString());
                        }
                    }
                    p.events().applied(job.fromBuild(), d.version(), true);
                    finish(Status.FAILED, reason);
                }
            }
        }
    }

    /** An execution from the service (notify-next, start-next or describe answers); any thread. */
    public void offer(JobsApi.Execution execution) {
        if (execution != null) {
            inbox.add(new Offer(execution));
            p.wake().run();
        }
    }

    /** The service accepted an update of {@code jobId} to {@code status}; any thread. */
    public void accepted(String jobId, Status status) {
        inbox.add(new Accepted(jobId, status));
        p.wake().run();
    }

    /** A (re)connection: re-sends what is pending and asks for the next job; any thread. */
    public void connected() {
        inbox.add(new Connected());
        p.wake().run();
    }

    /** The job in hand, for status; null when idle. */
    public UpdateRecord current() {
        return job;
    }

    /** The firmware build running now. */
    public long firmwareBuild() {
        return p.slots().runningBuild();
    }

    /** The model version in service now. */
    public long modelVersion() {
        return modelVersion;
    }

    /**
     * Does what is due now, which may be a whole download; returns when it next wants to run (it may be woken
     * earlier through the wake hook).
     */
    public Instant step() {
        Input in;
        while ((in = inbox.poll()) != null) {
            switch (in) {
                case Offer o -> handle(o.execution());
                case Accepted a -> handleAccepted(a.jobId(), a.status());
                case Connected c -> handleConnected();
            }
        }
        Instant now = p.clock().instant();
        if (job == null) {
            if (!now.isBefore(deferUntil)) {
                deferUntil = Instant.MAX;
                p.channel().describe(JobsTopic.NEXT);
            }
            return deferUntil;
        }
        return switch (job.phase()) {
            case STARTING, REPORTING -> Instant.MAX;
            case DOWNLOAD -> {
                if (waitingForUrl || now.isBefore(retryAt)) {
                    yield waitingForUrl ? Instant.MAX : retryAt;
                }
                download();
                yield job == null ? Instant.MAX : (waitingForUrl ? Instant.MAX : retryAt);
            }
            case SWITCHED -> trial(now);
        };
    }

    private void handleConnected() {
        if (job == null) {
            p.channel().describe(JobsTopic.NEXT);
        } else if (job.phase() == UpdateRecord.Phase.REPORTING) {
            p.channel().update(job.jobId(), job.status(), finalDetails());
        } else {
            p.channel().describe(job.jobId());
        }
    }

    private void handleAccepted(String jobId, Status status) {
        if (job != null && job.jobId().equals(jobId) && job.phase() == UpdateRecord.Phase.REPORTING
                && status == job.status()) {
            Logger.info("update {}: {} accepted by the service", jobId, status);
            UpdateRecord.clear(p.directory());
            job = null;
        }
    }

    private void handle(JobsApi.Execution e) {
        Status st = e.status();
        if (job != null && job.jobId().equals(e.jobId())) {
            if (st != null && st != Status.QUEUED && st != Status.IN_PROGRESS
                    && job.phase() != UpdateRecord.Phase.REPORTING) {
                Logger.warn("update {}: the service ended the job ({}); dropped", job.jobId(), st);
                p.download().discard(job.jobId());
                UpdateRecord.clear(p.directory());
                job = null;
                return;
            }
            renewDocument(e);
            if (job.phase() == UpdateRecord.Phase.STARTING && st == Status.IN_PROGRESS) {
                save(job.with(UpdateRecord.Phase.DOWNLOAD));
            }
            return;
        }
        if (job != null) {
            if (job.phase() == UpdateRecord.Phase.STARTING && st == Status.IN_PROGRESS) {
                Logger.info("update {}: the service started {} instead; deciding on that one", job.jobId(),
                        e.jobId());
                UpdateRecord.clear(p.directory());
                job = null;
            } else {
                return; // one job at a time; the next one comes with notify-next when this one ends
            }
        }
        if (st != Status.QUEUED && st != Status.IN_PROGRESS) {
            return;
        }
        if (e.jobDocument() == null) {
            p.channel().describe(e.jobId()); // notify-next may come without the document
            return;
        }
        decide(e);
    }

    private void renewDocument(JobsApi.Execution e) {
        if (e.jobDocument() == null) {
            return;
        }
        try {
            JobDocument d = JobDocument.fromJson(e.jobDocument());
            JobDocument old = job.document();
            if (d.operation() == old.operation() && d.version() == old.version() && d.size() == old.size()
                    && d.sha256().equals(old.sha256())) {
                if (!d.url().equals(old.url())) {
                    Logger.info("update {}: new artifact URL received", job.jobId());
                }
                save(job.withDocument(d));
                waitingForUrl = false;
                retryAt = Instant.MIN;
            } else {
                Logger.warn("update {}: the job document changed its artifact; ignored", job.jobId());
            }
        } catch (JobDocumentException ex) {
            Logger.warn("update {}: renewed document invalid: {}", job.jobId(), ex.getMessage());
        }
    }

    private void decide(JobsApi.Execution e) {
        String jobId = e.jobId();
        JobDocument doc;
        try {
            doc = JobDocument.fromJson(e.jobDocument());
        } catch (JobDocumentException ex) {
            reject(jobId, ex.getMessage(), null);
            return;
        }
        if (check == null) {
            reject(jobId, "signature: no code-signing certificate is configured on this collar", doc);
            return;
        }
        long fw = p.slots().runningBuild();
        JobVerdict v = check.check(doc, new CollarFacts(fw, modelVersion, p.freeBytes().getAsLong(),
                p.batteryPct().getAsInt()));
        if (v.outcome() == JobVerdict.Outcome.ACCEPT && doc.operation() == JobOperation.FIRMWARE_UPDATE
                && doc.version() < floor.get()) {
            v = new JobVerdict(JobVerdict.Outcome.REJECT, "version: " + doc.version()
                    + " is below the minimum security version " + floor.get());
        }
        switch (v.outcome()) {
            case REJECT -> reject(jobId, v.reason(), doc);
            case DEFER -> {
                Logger.info("update {} deferred: {}", jobId, v.reason());
                deferUntil = p.clock().instant().plus(settings.deferRecheck());
            }
            case ACCEPT -> {
                deferUntil = Instant.MAX;
                boolean queued = e.status() == Status.QUEUED;
                UpdateRecord r = new UpdateRecord(jobId, doc, fw, modelVersion,
                        queued ? UpdateRecord.Phase.STARTING : UpdateRecord.Phase.DOWNLOAD, 0, null, "");
                save(r);
                lastProgressDecile = -1;
                Logger.info("update {} accepted: {} {} → {}", jobId, doc.operation().jsonName(),
                        doc.operation() == JobOperation.FIRMWARE_UPDATE ? fw : modelVersion, doc.version());
                if (queued) {
                    p.channel().startNext(details("downloading", "0 %"));
                }
            }
        }
    }

    private void reject(String jobId, String reason, JobDocument doc) {
        Logger.warn("update {} rejected: {}", jobId, reason);
        if (doc != null) {
            job = new UpdateRecord(jobId, doc, p.slots().runningBuild(), modelVersion,
                    UpdateRecord.Phase.REPORTING, 0, Status.REJECTED, reason);
            save(job);
            p.channel().update(jobId, Status.REJECTED, finalDetails());
        } else {
            // an unreadable document cannot be kept in the record: reported once, again on the next describe
            p.channel().update(jobId, Status.REJECTED, Map.of("reason", clip(reason)));
        }
    }

    private void download() {
        JobDocument d = job.document();
        report(Status.IN_PROGRESS, details("downloading", progressText(0, d.size())));
        ResumableDownload.Result r;
        try {
            r = p.download().run(job.jobId(), d.size(), d.sha256(), () -> job.document().url(), (done, size) -> {
                int decile = (int) (done * 10 / size);
                if (decile != lastProgressDecile && decile < 10) {
                    lastProgressDecile = decile;
                    report(Status.IN_PROGRESS, details("downloading", progressText(done, size)));
                }
            });
        } catch (DownloadException e) {
            switch (e.kind()) {
                case URL_EXPIRED -> {
                    Logger.info("update {}: artifact URL refused ({}); asking the job for a new one", job.jobId(),
                            e.getMessage());
                    waitingForUrl = true;
                    p.channel().describe(job.jobId());
                }
                case NO_SPACE -> {
                    p.download().discard(job.jobId());
                    finish(Status.FAILED, e.getMessage());
                }
                case BAD_ARTIFACT -> {
                    p.download().discard(job.jobId());
                    finish(Status.REJECTED, e.getMessage());
                }
                case NETWORK, CANCELLED -> {
                    Logger.info("update {}: download paused: {}", job.jobId(), e.getMessage());
                    retryAt = p.clock().instant().plus(settings.networkRetry());
                }
            }
            return;
        }
        report(Status.IN_PROGRESS, details("verifying", null));
        JobVerdict v = check.checkArtifact(d, d.size(), r.sha256());
        if (!v.accepted()) {
            p.download().discard(job.jobId());
            finish(Status.REJECTED, v.reason());
            return;
        }
        report(Status.IN_PROGRESS, details("installing", null));
        if (d.operation() == JobOperation.MODEL_UPDATE) {
            try {
                p.models().install(r.file(), d.version());
            } catch (InstallException e) {
                p.download().discard(job.jobId());
                finish(Status.REJECTED, "model: " + e.getMessage());
                return;
            }
            p.download().discard(job.jobId());
            modelVersion = p.models().runningVersion();
            p.versions().changed(p.slots().runningBuild(), modelVersion);
            finish(Status.SUCCEEDED, "");
            return;
        }
        FirmwareArtifact.Manifest m;
        try {
            m = FirmwareArtifact.manifest(r.file());
            if (m.build() != d.version()) {
                throw new InstallException("the artifact is build " + m.build() + ", the document says "
                        + d.version());
            }
        } catch (InstallException e) {
            p.download().discard(job.jobId());
            finish(Status.REJECTED, "artifact: " + e.getMessage());
            return;
        }
        try {
            p.slots().install(r.file());
            p.download().discard(job.jobId());
            save(job.withSecurityVersion(m.securityVersion()).with(UpdateRecord.Phase.SWITCHED));
            p.slots().switchToTrial();
        } catch (InstallException | IOException e) {
            finish(Status.FAILED, "install: " + e.getMessage());
            return;
        }
        report(Status.IN_PROGRESS, details("restarting", null));
        p.restart().restart("trial of build " + d.version());
    }

    private Instant trial(Instant now) {
        JobDocument d = job.document();
        if (trialDeadline == null) {
            // switched, but this process is still the old build: the restart is pending (or has no launcher)
            return Instant.MAX;
        }
        HealthProbe.Health h = p.health().now();
        if (h.passes()) {
            try {
                p.slots().commit();
                floor.raise(job.securityVersion());
            } catch (IOException e) {
                Logger.error("update {}: commit failed ({}); the trial stays uncommitted", job.jobId(), e.toString());
                return now.plusSeconds(10);
            }
            trialDeadline = null;
            p.events().applied(job.fromBuild(), d.version(), false);
            p.versions().changed(d.version(), modelVersion);
            finish(Status.SUCCEEDED, "");
            return Instant.MAX;
        }
        if (!now.isBefore(trialDeadline)) {
            String reason = "health check failed within " + settings.healthCheck().toSeconds() + " s: "
                    + h.missing();
            try {
                p.slots().rollback(reason);
            } catch (IOException e) {
                Logger.error("update {}: rollback not recorded ({}); the launcher's attempt count rolls back",
                        job.jobId(), e.toString());
            }
            trialDeadline = null;
            p.restart().restart("rollback: " + reason);
            return Instant.MAX;
        }
        Instant poll = now.plusSeconds(1);
        return poll.isBefore(trialDeadline) ? poll : trialDeadline;
    }

    private void finish(Status status, String reason) {
        if (!reason.isEmpty()) {
            Logger.warn("update {}: {} ({})", job.jobId(), status, reason);
        } else {
            Logger.info("update {}: {}", job.jobId(), status);
        }
        save(job.finished(status, reason));
        p.channel().update(job.jobId(), status, finalDetails());
    }

    private Map<String, String> finalDetails() {
        Map<String, String> m = versions();
        if (!job.reason().isEmpty()) {
            m.put("reason", clip(job.reason()));
        }
        return m;
    }

    private Map<String, String> details(String step, String progress) {
        Map<String, String> m = versions();
        m.put("step", step);
        if (progress != null) {
            m.put("progress", progress);
        }
        return m;
    }

    private Map<String, String> versions() {
        Map<String, String> m = new LinkedHashMap<>();
        if (job != null) {
            boolean fw = job.document().operation() == JobOperation.FIRMWARE_UPDATE;
            m.put("from", Long.toString(fw ? job.fromBuild() : job.fromModel()));
            m.put("to", Long.toString(job.document().version()));
        }
        return m;
    }

    private void report(Status status, Map<String, String> details) {
        p.channel().update(job.jobId(), status, details);
    }

    private void save(UpdateRecord r) {
        job = r;
        try {
            r.save(p.directory());
        } catch (IOException e) {
            Logger.warn("update record not saved ({}): a restart now would decide on the job again", e.toString());
        }
    }

    private static String progressText(long done, long size) {
        return (done * 100 / size) + " %";
    }

    private static String clip(String s) {
        return s.length() > 1024 ? s.substring(0, 1023) + "…" : s;
    }
}
