package com.pettysync.contract.cost;

import com.pettysync.contract.topic.TopicMode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The monthly cost of the whole data path for a fleet, in steady state: AWS IoT Core ({@link CostModel}, direct
 * topics vs Basic Ingest), the validator function ("Dumper #1", AWS Lambda) invoked once per frame, event and voice
 * part, the hot store (DynamoDB on-demand: one item per frame and event, kept until the archive moves the day), the
 * archive ("Dumper #2", S3: one telemetry, one events and one manifest object per collar per day, written once and
 * read back once; joined voice clips as a WAV + sidecar; S3 Standard for {@code glacierAfterDays}, then a lifecycle
 * rule moves every object to Glacier Flexible Retrieval, kept {@code retentionDays} in all).
 *
 * <p>Per-frame sizes come from the local archive (see {@link Profile#of}); every assumption is a field of
 * {@link Profile}. What is not in the model: data transfer out of AWS, CloudWatch logs of the function, KMS, the
 * 12-month free tiers, the merge rewrites of a day that receives late frames (rare), retrieval from Glacier.
 */
public final class PipelineCostModel {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
    private static final double GB = 1024.0 * 1024 * 1024;
    private static final int DAYS = CostModel.DAYS_PER_MONTH;
    /** Objects per collar per day in the archive besides voice: telemetry, events, manifest. */
    public static final int DAY_OBJECTS = 3;
    /** Glacier keeps 8 KB at Standard and 32 KB at Glacier rates per object (S3 pricing page). */
    private static final long GLACIER_STANDARD_OVERHEAD = 8 * 1024;
    private static final long GLACIER_OVERHEAD = 32 * 1024;

    private PipelineCostModel() {}

    /**
     * What a fleet does, per collar.
     *
     * @param fleet the IoT Core profile (collars, window, events, voice parts, sessions)
     * @param clipsPerDay joined voice clips per collar per day (each {@code fleet.voicePartBytes()} × parts bytes)
     * @param validatorMemoryMb the validator function's memory
     * @param validatorMs its billed duration per invocation
     * @param hotItemBytes bytes of one hot-store item (frame blob + decoded JSON + keys)
     * @param hotDays days a frame stays in the hot store before the archive moves it
     * @param archiveBytesPerFrame gzip'd JSON-lines bytes per telemetry frame in the archive
     * @param glacierAfterDays days in S3 Standard before the lifecycle rule moves an object to Glacier
     * @param retentionDays days an archived object is kept in all
     */
    public record Profile(FleetProfile fleet, double clipsPerDay, int validatorMemoryMb, int validatorMs,
            int hotItemBytes, int hotDays, double archiveBytesPerFrame, int glacierAfterDays, int retentionDays) {
        public Profile {
            if (validatorMemoryMb < 128 || validatorMs < 1 || hotItemBytes < 1 || hotDays < 1
                    || glacierAfterDays < 1 || retentionDays < glacierAfterDays || clipsPerDay < 0
                    || archiveBytesPerFrame <= 0) {
                throw new IllegalArgumentException("memory ≥ 128 MB, durations ≥ 1, retention ≥ glacierAfterDays");
            }
        }

        /**
         * The product's fleet of {@code collars}: a frame every 300 s, 4 events and 2 voice clips (uncertain uploads,
         * 10 s of 16 kHz PCM = 320,000 bytes in 3 parts) a day, a session a day, one job a month; validator 128 MB
         * and 20 ms; hot items of 900 bytes (a 182-byte frame, its ~600-byte JSON and keys) kept 2 days;
         * {@code archiveBytesPerFrame} 43 (gzip'd JSON lines: 9,852 bytes for a day of 229 frames of the simulator's
         * dogs, 2026-12-06); Standard for 30
         * days, Glacier Flexible Retrieval after, kept 2 years.
         */
        public static Profile of(long collars, TopicMode mode) {
            FleetProfile f = FleetProfile.of(collars, 300, mode).withEventsPerDay(4).withVoiceParts(6, 106_667)
                    .withJobsPerMonth(1);
            return new Profile(f, 2, 128, 20, 900, 2, 43, 30, 730);
        }
    }

    /** One line of the whole path's month, USD. */
    public record Line(String service, String item, double quantity, String unit, BigDecimal usd) {}

    /** The month's lines for a profile. */
    public static List<Line> monthly(Profile p, PriceTable iot, PipelinePrices prices) {
        List<Line> lines = new ArrayList<>();
        CostEstimate core = CostModel.forFleet(p.fleet(), iot);
        for (LineItem i : core.items()) {
            lines.add(new Line("IoT Core", i.name(), i.quantity(), i.unit(), i.costUsd()));
        }
        double n = p.fleet().collars();
        double frames = n * 86_400.0 / p.fleet().intervalS() * DAYS;
        double events = n * p.fleet().eventsPerDay() * DAYS;
        double parts = n * p.fleet().voicePartsPerDay() * DAYS;
        double invocations = frames + events + parts;
        lines.add(new Line("validator (Lambda)", "invocations", invocations, "requests",
                perMillion(invocations, prices.lambdaPerMillionRequests())));
        double gbSeconds = invocations * p.validatorMemoryMb() / 1024.0 * p.validatorMs() / 1000.0;
        lines.add(new Line("validator (Lambda)", "duration", gbSeconds, "GB-seconds",
                BigDecimal.valueOf(gbSeconds).multiply(prices.lambdaPerGbSecond())));
        double items = frames + events;
        double wruPerItem = Math.ceil(p.hotItemBytes() / 1024.0);
        lines.add(new Line("hot store (DynamoDB)", "writes + archive deletes", 2 * items * wruPerItem,
                "write request units", perMillion(2 * items * wruPerItem, prices.dynamoPerMillionWrites())));
        double rru = items * Math.ceil(p.hotItemBytes() / 8192.0); // eventually consistent: 8 KB per unit
        lines.add(new Line("hot store (DynamoDB)", "archive reads", rru, "read request units",
                perMillion(rru, prices.dynamoPerMillionReads())));
        double hotGb = n * (86_400.0 / p.fleet().intervalS() + p.fleet().eventsPerDay()) * p.hotDays()
                * (p.hotItemBytes() + 100) / GB; // DynamoDB adds 100 bytes per item
        lines.add(new Line("hot store (DynamoDB)", "storage", hotGb, "GB-month",
                BigDecimal.valueOf(hotGb).multiply(prices.dynamoPerGbMonth())));

        double objectsPerDay = n * (DAY_OBJECTS + 2 * p.clipsPerDay());
        double puts = objectsPerDay * DAYS;
        lines.add(new Line("archive (S3)", "PUT", puts, "requests", per1000(puts, prices.s3PutPer1000())));
        lines.add(new Line("archive (S3)", "GET (read-back)", puts, "requests", per1000(puts, prices.s3GetPer1000())));
        double dayBytes = n * (86_400.0 / p.fleet().intervalS() * p.archiveBytesPerFrame() + 2_000);
        // a clip: its parts' audio + the WAV header (44 B) + the sidecar (~400 B)
        double clipBytes = n * ((double) p.fleet().voicePartBytes() * p.fleet().voicePartsPerDay()
                + p.clipsPerDay() * 444);
        double standardGb = (dayBytes + clipBytes) * p.glacierAfterDays() / GB;
        int glacierDays = p.retentionDays() - p.glacierAfterDays();
        double glacierObjects = objectsPerDay * glacierDays;
        double glacierGb = ((dayBytes + clipBytes) * glacierDays + glacierObjects * GLACIER_OVERHEAD) / GB;
        double overheadStdGb = glacierObjects * GLACIER_STANDARD_OVERHEAD / GB;
        double voiceShare = clipBytes / (dayBytes + clipBytes);
        lines.add(new Line("archive (S3)", "Standard storage, frames", standardGb * (1 - voiceShare) + overheadStdGb,
                "GB-month", BigDecimal.valueOf(standardGb * (1 - voiceShare) + overheadStdGb)
                        .multiply(prices.s3StandardPerGbMonth())));
        lines.add(new Line("archive (S3)", "Standard storage, voice", standardGb * voiceShare, "GB-month",
                BigDecimal.valueOf(standardGb * voiceShare).multiply(prices.s3StandardPerGbMonth())));
        lines.add(new Line("archive (S3)", "Glacier transitions", puts, "requests",
                per1000(puts, prices.glacierTransitionPer1000())));
        lines.add(new Line("archive (S3)", "Glacier storage (" + glacierDays + " d)", glacierGb, "GB-month",
                BigDecimal.valueOf(glacierGb).multiply(prices.glacierPerGbMonth())));
        return lines;
    }

    public static BigDecimal total(List<Line> lines) {
        return lines.stream().map(Line::usd).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The table the CLI prints: one column per fleet size, both topic modes' totals and the per-collar cost. */
    public static String table(long[] tiers, PriceTable iot, PipelinePrices prices) {
        List<List<Line>> direct = new ArrayList<>();
        List<List<Line>> basic = new ArrayList<>();
        for (long t : tiers) {
            direct.add(monthly(Profile.of(t, TopicMode.DIRECT), iot, prices));
            basic.add(monthly(Profile.of(t, TopicMode.BASIC_INGEST), iot, prices));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Monthly cost of the data path, USD, %s list prices (IoT Core of %s, "
                + "Lambda/DynamoDB/S3 of %s), %d-day month%n", iot.region(), iot.asOf(), prices.asOf(), DAYS));
        sb.append(String.format(Locale.ROOT, "%-46s", "collars"));
        for (long t : tiers) {
            sb.append(String.format(Locale.ROOT, "%14s", String.format(Locale.ROOT, "%,d", t)));
        }
        sb.append('\n');
        List<Line> first = direct.get(0);
        for (int i = 0; i < first.size(); i++) {
            Line l = first.get(i);
            sb.append(String.format(Locale.ROOT, "%-46s", l.service() + ": " + l.item()));
            for (List<Line> col : direct) {
                sb.append(String.format(Locale.ROOT, "%14s", CostEstimate.usd(col.get(i).usd())));
            }
            sb.append('\n');
        }
        row(sb, "total, direct topics", direct, false, tiers);
        row(sb, "total, telemetry through Basic Ingest", basic, false, tiers);
        row(sb, "per collar, direct", direct, true, tiers);
        row(sb, "per collar, Basic Ingest", basic, true, tiers);
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, List<List<Line>> cols, boolean perCollar, long[] tiers) {
        sb.append(String.format(Locale.ROOT, "%-46s", name));
        for (int i = 0; i < cols.size(); i++) {
            BigDecimal t = total(cols.get(i));
            sb.append(String.format(Locale.ROOT, "%14s", perCollar
                    ? String.format(Locale.ROOT, "$%.4f", t.divide(BigDecimal.valueOf(tiers[i]), MathContext.DECIMAL64))
                    : CostEstimate.usd(t)));
        }
        sb.append('\n');
    }

    private static BigDecimal perMillion(double quantity, BigDecimal price) {
        return BigDecimal.valueOf(quantity).multiply(price).divide(MILLION, MathContext.DECIMAL64);
    }

    private static BigDecimal per1000(double quantity, BigDecimal price) {
        return BigDecimal.valueOf(quantity).multiply(price).divide(THOUSAND, MathContext.DECIMAL64);
    }
}
