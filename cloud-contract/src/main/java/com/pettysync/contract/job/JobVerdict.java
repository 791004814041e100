package com.pettysync.contract.job;

import java.util.Map;
import java.util.Objects;

/**
 * A collar's decision on a job document ({@link JobDocumentCheck}).
 *
 * <ul>
 *   <li>{@link Outcome#ACCEPT}: start the job (status {@code IN_PROGRESS}).</li>
 *   <li>{@link Outcome#REJECT}: refuse it for good — update the execution to status {@code REJECTED} with
 *       {@link #statusDetails()} (wire contract §7).</li>
 *   <li>{@link Outcome#DEFER}: not now — the battery is below the document's {@code minBatteryPct}. Leave the
 *       execution {@code QUEUED} and look again later (on the next {@code notify-next} or when charging); a
 *       rejection would be final for a condition that passes.</li>
 * </ul>
 *
 * @param outcome the decision
 * @param reason why, one line; empty for ACCEPT
 */
public record JobVerdict(Outcome outcome, String reason) {
    /** The three decisions. */
    public enum Outcome { ACCEPT, REJECT, DEFER }

    public JobVerdict {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
    }

    static JobVerdict accept() {
        return new JobVerdict(Outcome.ACCEPT, "");
    }

    static JobVerdict reject(String reason) {
        return new JobVerdict(Outcome.REJECT, reason);
    }

    static JobVerdict defer(String reason) {
        return new JobVerdict(Outcome.DEFER, reason);
    }

    /** Whether the job may start. */
    public boolean accepted() {
        return outcome == Outcome.ACCEPT;
    }

    /**
     * The {@code statusDetails} for the job execution update: {@code {"reason": reason}} (AWS allows string values
     * up to 1024 characters); empty for ACCEPT.
     */
    public Map<String, String> statusDetails() {
        if (reason.isEmpty()) {
            return Map.of();
        }
        return Map.of("reason", reason.length() > 1024 ? reason.substring(0, 1023) + "…" : reason);
    }
}
