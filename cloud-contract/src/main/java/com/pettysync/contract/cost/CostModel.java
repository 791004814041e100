package com.pettysync.contract.cost;

import com.pettysync.contract.topic.TopicMode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Monthly AWS IoT Core cost of a collar fleet: from counted usage ({@link #monthly(Usage, PriceTable)}, e.g. the
 * traffic a simulation counted) or from a fleet profile ({@link #forFleet}).
 *
 * <p>Model (a 30-day month, as AWS's own pricing examples use):
 * <ul>
 *   <li>connectivity: collars × 43,200 min × connected fraction;</li>
 *   <li>messaging: each publish is metered on payload + topic bytes in 5 KB (5,120-byte) increments; telemetry sent
 *       through Basic Ingest is not charged; each MQTT session adds {@value #MESSAGES_PER_SESSION} messages (CONNECT;
 *       two SUBSCRIBE packets, since AWS takes at most 8 filters per SUBSCRIBE and a collar has 12; the shadow get
 *       and reported update with their two replies; the device's PUBACKs for those two QoS 1 replies) and each job
 *       execution {@value #MESSAGES_PER_JOB} (notify-next, start-next and two status updates with their replies,
 *       and the device's PUBACKs for the four QoS 1 messages it receives); messaging tiers apply to the month's
 *       total;</li>
 *   <li>Device Shadow: {@value #SHADOW_OPS_PER_SESSION} operations per session (get, reported update; each under
 *       1 KB);</li>
 *   <li>rules: every telemetry frame, event and voice part triggers one rule with one action (the ingest rule that
 *       feeds the cloud's validator), whichever the topic mode;</li>
 *   <li>jobs: one remote action per job execution.</li>
 * </ul>
 * Frames are produced whether or not a collar is connected (the outbox sends them later), so the connected fraction
 * changes connectivity only. Prices and their sources: {@link PriceTable}.
 */
public final class CostModel {
    public static final int DAYS_PER_MONTH = 30;
    public static final int MESSAGE_UNIT_BYTES = 5 * 1024;
    public static final int SHADOW_UNIT_BYTES = 1024;
    public static final int MESSAGES_PER_SESSION = 9;
    public static final int SHADOW_OPS_PER_SESSION = 2;
    public static final int MESSAGES_PER_JOB = 12;

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final long SECONDS_PER_MONTH = DAYS_PER_MONTH * 86_400L;

    private CostModel() {}

    /** The monthly cost of {@code collars} collars sending a frame every {@code intervalS} s, list prices us-east-1. */
    public static CostEstimate forFleet(long collars, int intervalS, TopicMode topicMode) {
        return forFleet(FleetProfile.of(collars, intervalS, topicMode), PriceTable.US_EAST_1);
    }

    /** The monthly cost of a fleet profile at the given prices. */
    public static CostEstimate forFleet(FleetProfile fleet, PriceTable prices) {
        return monthly(usage(fleet), prices);
    }

    /** A month's metered usage of a fleet profile. */
    public static Usage usage(FleetProfile f) {
        double n = f.collars();
        long minutes = Math.round(n * DAYS_PER_MONTH * 1440 * f.connectedFraction());
        long frames = Math.round(n * SECONDS_PER_MONTH / (double) f.intervalS());
        double events = n * f.eventsPerDay() * DAYS_PER_MONTH;
        double voiceParts = n * f.voicePartsPerDay() * DAYS_PER_MONTH;
        double sessions = n * f.connectsPerDay() * DAYS_PER_MONTH;
        double jobs = n * f.jobsPerMonth();

        int base = "pettysync/v1/".length() + f.thingNameLength();
        long telemetryUnits = f.topicMode() == TopicMode.BASIC_INGEST ? 0
                : messageUnits(f.frameBytes(), base + "/telemetry".length());
        long messages = frames * telemetryUnits
                + Math.round(events * messageUnits(182, base + "/events".length())
                        + voiceParts * messageUnits(f.voicePartBytes(), base + "/voice".length())
                        + sessions * MESSAGES_PER_SESSION + jobs * MESSAGES_PER_JOB);
        long shadowOps = Math.round(sessions * SHADOW_OPS_PER_SESSION);
        long ruleHits = frames + Math.round(events + voiceParts);
        return new Usage(minutes, messages, shadowOps, ruleHits, ruleHits, Math.round(jobs));
    }

    /** The cost of a month's metered usage. */
    public static CostEstimate monthly(Usage u, PriceTable p) {
        List<LineItem> items = new ArrayList<>();
        items.add(new LineItem("connectivity", u.connectionMinutes(), "connection minutes",
                perMillion(u.connectionMinutes(), p.connectivityPerMillionMinutes())));
        items.add(new LineItem("messaging", u.messages(), "messages (5 KB units)", messaging(u.messages(), p)));
        items.add(new LineItem("device shadow", u.shadowOperations(), "operations (1 KB units)",
                perMillion(u.shadowOperations(), p.shadowRegistryPerMillionOps())));
        items.add(new LineItem("rules triggered", u.rulesTriggered(), "rules",
                perMillion(u.rulesTriggered(), p.rulesTriggeredPerMillion())));
        items.add(new LineItem("rule actions", u.ruleActions(), "actions",
                perMillion(u.ruleActions(), p.ruleActionsPerMillion())));
        items.add(new LineItem("jobs", u.jobRemoteActions(), "remote actions",
                BigDecimal.valueOf(u.jobRemoteActions()).multiply(p.jobsPerRemoteAction())));
        return new CostEstimate(items, u, p);
    }

    /** Billing messages for one publish of {@code payloadBytes} on a topic of {@code topicBytes}: ⌈sum / 5 KB⌉, ≥ 1. */
    public static long messageUnits(long payloadBytes, long topicBytes) {
        return Math.max(1, Math.ceilDiv(payloadBytes + topicBytes, MESSAGE_UNIT_BYTES));
    }

    /** Billing operations for one shadow document of {@code bytes}: ⌈bytes / 1 KB⌉, ≥ 1. */
    public static long shadowUnits(long bytes) {
        return Math.max(1, Math.ceilDiv(bytes, SHADOW_UNIT_BYTES));
    }

    private static BigDecimal messaging(long messages, PriceTable p) {
        BigDecimal cost = BigDecimal.ZERO;
        long below = 0;
        for (PriceTable.Tier t : p.messagingTiers()) {
            if (messages <= below) {
                break;
            }
            long inTier = Math.min(messages, t.upTo()) - below;
            cost = cost.add(perMillion(inTier, t.perMillion()));
            below = t.upTo();
        }
        return cost;
    }

    private static BigDecimal perMillion(long quantity, BigDecimal pricePerMillion) {
        return BigDecimal.valueOf(quantity).multiply(pricePerMillion).divide(MILLION, MathContext.DECIMAL64);
    }
}
