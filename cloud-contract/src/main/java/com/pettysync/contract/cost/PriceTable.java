package com.pettysync.contract.cost;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * AWS IoT Core (and IoT Device Management Jobs) list prices in USD, the inputs of {@link CostModel}.
 *
 * <p>{@link #US_EAST_1} holds the public list prices for US East (N. Virginia), looked up on 2026-11-24:
 * <ul>
 *   <li>Connectivity $0.08 per million connection minutes, metered per minute — https://aws.amazon.com/iot-core/pricing/
 *       (the page's worked example: "4,320,000,000 minutes of connection * $0.08/1,000,000 minutes").</li>
 *   <li>Messaging per million messages: $1.00 for the first billion, $0.80 for the next 4 billion, $0.70 above 5
 *       billion, a message metered in 5 KB increments — same page (worked example "$1.00/1,000,000 messages"; the tier
 *       bounds are the page's; the $0.80 / $0.70 tier prices are <b>our reading of the page, not confirmed by the
 *       search tool</b> — Tokyo's published $1.20 / $0.96 / $0.84 is exactly 1.2× these, which supports them).
 *       Metering rules: https://aws.amazon.com/iot-core/pricing/additional-details/ (PUBLISH metered on payload +
 *       topic; CONNECT, SUBSCRIBE and device PUBACKs are metered; PINGREQ/PINGRESP, CONNACK, SUBACK, DISCONNECT
 *       are not).</li>
 *   <li>Device Shadow and registry: $1.25 per million operations, metered in 1 KB increments — same page.</li>
 *   <li>Rules engine: $0.15 per million rules triggered and $0.15 per million actions applied — same page
 *       (assumption where not confirmed: these are the long-standing list prices).</li>
 *   <li>Jobs: $0.003 per remote action for the first 250,000 remote actions a month —
 *       https://aws.amazon.com/iot-device-management/pricing/ (as transcribed from that page on 2026-09-20).
 *       <b>Assumption:</b> the price above 250,000 actions was not found; this table charges $0.003 for all (an
 *       upper bound).</li>
 *   <li>Basic Ingest: no messaging charge (rules still apply) —
 *       https://docs.aws.amazon.com/iot/latest/developerguide/iot-basic-ingest.html.</li>
 *   <li>The 12-month free tier is not applied.</li>
 * </ul>
 *
 * @param region the region the prices are for
 * @param asOf when the prices were read
 * @param connectivityPerMillionMinutes USD per million connection minutes
 * @param messagingTiers USD per million messages, by cumulative monthly volume
 * @param shadowRegistryPerMillionOps USD per million Device Shadow / registry operations
 * @param rulesTriggeredPerMillion USD per million rules triggered
 * @param ruleActionsPerMillion USD per million rule actions applied
 * @param jobsPerRemoteAction USD per job remote action (one job execution on one device)
 */
public record PriceTable(String region, String asOf, BigDecimal connectivityPerMillionMinutes,
        List<Tier> messagingTiers, BigDecimal shadowRegistryPerMillionOps, BigDecimal rulesTriggeredPerMillion,
        BigDecimal ruleActionsPerMillion, BigDecimal jobsPerRemoteAction) {

    /**
     * A price band: messages up to {@code upTo} (cumulative count in the month, exclusive of earlier bands) cost
     * {@code perMillion} USD per million.
     *
     * @param upTo cumulative upper bound of the band, or {@link Long#MAX_VALUE} for the last band
     * @param perMillion USD per million messages in the band
     */
    public record Tier(long upTo, BigDecimal perMillion) {
        public Tier {
            Objects.requireNonNull(perMillion, "perMillion");
            if (upTo <= 0 || perMillion.signum() < 0) {
                throw new IllegalArgumentException("a tier needs a positive bound and a price ≥ 0");
            }
        }
    }

    /** US East (N. Virginia) list prices; see the class comment for the sources. */
    public static final PriceTable US_EAST_1 = new PriceTable("us-east-1", "2026-11-24", new BigDecimal("0.08"),
            List.of(new Tier(1_000_000_000L, new BigDecimal("1.00")),
                    new Tier(5_000_000_000L, new BigDecimal("0.80")),
                    new Tier(Long.MAX_VALUE, new BigDecimal("0.70"))),
            new BigDecimal("1.25"), new BigDecimal("0.15"), new BigDecimal("0.15"), new BigDecimal("0.003"));

    public PriceTable {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(connectivityPerMillionMinutes, "connectivityPerMillionMinutes");
        Objects.requireNonNull(shadowRegistryPerMillionOps, "shadowRegistryPerMillionOps");
        Objects.requireNonNull(rulesTriggeredPerMillion, "rulesTriggeredPerMillion");
        Objects.requireNonNull(ruleActionsPerMillion, "ruleActionsPerMillion");
        Objects.requireNonNull(jobsPerRemoteAction, "jobsPerRemoteAction");
        messagingTiers = List.copyOf(messagingTiers);
        if (messagingTiers.isEmpty() || messagingTiers.get(messagingTiers.size() - 1).upTo() != Long.MAX_VALUE) {
            throw new IllegalArgumentException("the last messaging tier must be unbounded");
        }
        for (int i = 1; i < messagingTiers.size(); i++) {
            if (messagingTiers.get(i).upTo() <= messagingTiers.get(i - 1).upTo()) {
                throw new IllegalArgumentException("messaging tiers must have increasing bounds");
            }
        }
    }
}
