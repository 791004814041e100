package com.pettysync.agent.ota;

import com.pettysync.contract.job.JobDocument;
import com.pettysync.contract.job.JobDocumentException;
import com.pettysync.contract.job.JobsApi;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import org.tinylog.Logger;

/**
 * The job the collar is working on, kept across restarts (and across slots: both builds read the same file), so a
 * download resumes, a trial is health-checked and a rollback is reported after a restart.
 *
 * <pre>
 * &lt;data&gt;/ota/job.properties   (java.util.Properties text, replaced with {@link Durable#write})
 *   jobId=…  document=&lt;the job document JSON&gt;  fromBuild=…  fromModel=…  phase=starting|download|switched|reporting
 *   securityVersion=…   (after a firmware install: what the artifact declares)
 *   status=SUCCEEDED|FAILED|REJECTED  reason=…   (phase reporting: the final status not yet accepted by the service)
 * </pre>
 *
 * An unreadable record is logged and dropped (the job is described again and decided afresh).
 *
 * @param jobId the job
 * @param document its document (the URL may be renewed)
 * @param fromBuild the firmware build when the job started
 * @param fromModel the model version when the job started
 * @param phase where it is
 * @param securityVersion the installed artifact's security version (firmware, after install), else 0
 * @param status the final status (phase reporting), else null
 * @param reason the final reason (phase reporting), else ""
 */
public record UpdateRecord(String jobId, JobDocument document, long fromBuild, long fromModel, Phase phase,
        long securityVersion, JobsApi.Status status, String reason) {
    /** File name under {@code <data>/ota}. */
    public static final String FILE = "job.properties";

    /** Where a job is. */
    public enum Phase {
        /** Accepted; start-next sent, not answered yet. */
        STARTING,
        /** Downloading (and verifying, installing) the artifact. */
        DOWNLOAD,
        /** Firmware installed and switched to; the restart into the trial slot is due or done. */
        SWITCHED,
        /** Final status decided; waiting for the service to accept it. */
        REPORTING
    }

    UpdateRecord with(Phase p) {
        return new UpdateRecord(jobId, document, fromBuild, fromModel, p, securityVersion, status, reason);
    }

    UpdateRecord withDocument(JobDocument d) {
        return new UpdateRecord(jobId, d, fromBuild, fromModel, phase, securityVersion, status, reason);
    }

    UpdateRecord withSecurityVersion(long sv) {
        return new UpdateRecord(jobId, document, fromBuild, fromModel, phase, sv, status, reason);
    }

    UpdateRecord finished(JobsApi.Status s, String why) {
        return new UpdateRecord(jobId, document, fromBuild, fromModel, Phase.REPORTING, securityVersion, s, why);
    }

    void save(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("jobId", jobId);
        p.setProperty("document", document.toJson());
        p.setProperty("fromBuild", Long.toString(fromBuild));
        p.setProperty("fromModel", Long.toString(fromModel));
        p.setProperty("phase", phase.name().toLowerCase(java.util.Locale.ROOT));
        p.setProperty("securityVersion", Long.toString(securityVersion));
        if (status != null) {
            p.setProperty("status", status.name());
        }
        p.setProperty("reason", reason);
        StringWriter w = new StringWriter();
        p.store(w, null);
        Files.createDirectories(dir);
        Durable.write(dir.resolve(FILE), w.toString().getBytes(StandardCharsets.UTF_8));
    }

    static UpdateRecord load(Path dir) {
        Path f = dir.resolve(FILE);
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(f, StandardCharsets.UTF_8)));
            String st = p.getProperty("status");
            return new UpdateRecord(p.getProperty("jobId"), JobDocument.parse(p.getProperty("document")),
                    Long.parseLong(p.getProperty("fromBuild")), Long.parseLong(p.getProperty("fromModel")),
                    Phase.valueOf(p.getProperty("phase").toUpperCase(java.util.Locale.ROOT)),
                    Long.parseLong(p.getProperty("securityVersion", "0")),
                    st == null ? null : JobsApi.Status.valueOf(st), p.getProperty("reason", ""));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException | JobDocumentException e) {
            Logger.warn("update record {} unreadable ({}); dropped", f, e.toString());
            return null;
        }
    }

    static void clear(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
            Durable.syncDirectory(dir);
        } catch (IOException e) {
            Logger.warn("cannot remove the update record: {}", e.toString());
        }
    }
}
