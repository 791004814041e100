package com.pettysync.provisioning.ota;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.iot.model.AbortAction;
import software.amazon.awssdk.services.iot.model.AbortConfig;
import software.amazon.awssdk.services.iot.model.AbortCriteria;
import software.amazon.awssdk.services.iot.model.ExponentialRolloutRate;
import software.amazon.awssdk.services.iot.model.JobExecutionFailureType;
import software.amazon.awssdk.services.iot.model.JobExecutionsRolloutConfig;
import software.amazon.awssdk.services.iot.model.RateIncreaseCriteria;
import software.amazon.awssdk.services.iot.model.TimeoutConfig;

/**
 * The operator's short forms of a job's rollout, abort and timeout settings, turned into CreateJob's
 * {@code jobExecutionsRolloutConfig}, {@code abortConfig} and {@code timeoutConfig} (AWS's ranges checked here, so a
 * typo fails before anything is uploaded).
 *
 * <pre>
 * --rollout base=10,increment=2,max=100[,notified=N | ,succeeded=N]
 *     start at 10 executions/min, ×2 each time N more things were notified (default N = base) or succeeded,
 *     at most 100/min;  --rollout max=50  is a constant 50/min
 * --abort failed>5%@min20        cancel once ≥ 20 executions ended and ≥ 5 % of them FAILED
 *     types: failed, rejected, timed-out, all (FAILED + REJECTED + TIMED_OUT); repeatable, one per type
 * --timeout 30m                  an execution IN_PROGRESS 30 minutes after it started becomes TIMED_OUT
 *     units: m, h, d (whole minutes, 1 minute … 7 days)
 * </pre>
 */
public final class RolloutSpec {
    private static final Pattern ABORT = Pattern.compile("(failed|rejected|timed-out|all)\\s*>=?\\s*"
            + "(\\d+(?:\\.\\d{1,2})?)%@min(\\d+)");
    private static final Pattern TIMEOUT = Pattern.compile("(\\d+)([mhd])");

    private RolloutSpec() {}

    /** @throws IllegalArgumentException naming what is wrong */
    public static JobExecutionsRolloutConfig rollout(String spec) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--rollout: expected key=value, got \"" + part + "\"");
            }
            kv.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        for (String k : kv.keySet()) {
            if (!List.of("base", "increment", "max", "notified", "succeeded").contains(k)) {
                throw new IllegalArgumentException("--rollout: unknown key \"" + k + "\" (base, increment, max, "
                        + "notified, succeeded)");
            }
        }
        int max = kv.containsKey("max") ? integer(kv.get("max"), "max", 1, 1000) : 1000;
        if (!kv.containsKey("base")) {
            if (kv.containsKey("increment") || kv.containsKey("notified") || kv.containsKey("succeeded")) {
                throw new IllegalArgumentException("--rollout: increment, notified and succeeded need base");
            }
            return JobExecutionsRolloutConfig.builder().maximumPerMinute(max).build();
        }
        int base = integer(kv.get("base"), "base", 1, 1000);
        double increment;
        try {
            increment = Double.parseDouble(kv.getOrDefault("increment", "2"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rollout: increment must be a number, got " + kv.get("increment"));
        }
        if (!(increment >= 1.1 && increment <= 5)) {
            throw new IllegalArgumentException("--rollout: increment must be 1.1 to 5 (AWS), got " + increment);
        }
        if (kv.containsKey("notified") && kv.containsKey("succeeded")) {
            throw new IllegalArgumentException("--rollout: give notified=N or succeeded=N, not both");
        }
        RateIncreaseCriteria.Builder criteria = RateIncreaseCriteria.builder();
        if (kv.containsKey("succeeded")) {
            criteria.numberOfSucceededThings(integer(kv.get("succeeded"), "succeeded", 1, Integer.MAX_VALUE));
        } else {
            criteria.numberOfNotifiedThings(kv.containsKey("notified")
                    ? integer(kv.get("notified"), "notified", 1, Integer.MAX_VALUE) : base);
        }
        return JobExecutionsRolloutConfig.builder().maximumPerMinute(max)
                .exponentialRate(ExponentialRolloutRate.builder().baseRatePerMinute(base).incrementFactor(increment)
                        .rateIncreaseCriteria(criteria.build()).build())
                .build();
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static AbortConfig abort(List<String> specs) {
        List<AbortCriteria> criteria = new ArrayList<>();
        List<JobExecutionFailureType> seen = new ArrayList<>();
        for (String spec : specs) {
            Matcher m = ABORT.matcher(spec.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("--abort: expected TYPE>P%@minN (TYPE failed, rejected, timed-out "
                        + "or all), e.g. failed>5%@min20; got \"" + spec + "\"");
            }
            JobExecutionFailureType type = JobExecutionFailureType.fromValue(m.group(1).toUpperCase(Locale.ROOT)
                    .replace('-', '_'));
            if (seen.contains(type)) {
                throw new IllegalArgumentException("--abort: one criterion per type, " + m.group(1) + " twice");
            }
            seen.add(type);
            double pct = Double.parseDouble(m.group(2));
            if (pct > 100) {
                throw new IllegalArgumentException("--abort: the percentage must be 0 to 100, got " + pct);
            }
            criteria.add(AbortCriteria.builder().failureType(type).action(AbortAction.CANCEL)
                    .thresholdPercentage(pct).minNumberOfExecutedThings(integer(m.group(3), "min", 1,
                            Integer.MAX_VALUE)).build());
        }
        return AbortConfig.builder().criteriaList(criteria).build();
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static TimeoutConfig timeout(String spec) {
        Matcher m = TIMEOUT.matcher(spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--timeout: expected minutes, hours or days such as 30m, 2h, 1d; got \""
                    + spec + "\"");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.toMinutes() < 1 || d.toMinutes() > 10080) {
            throw new IllegalArgumentException("--timeout must be 1 minute to 7 days (AWS), got " + spec);
        }
        return TimeoutConfig.builder().inProgressTimeoutInMinutes(d.toMinutes()).build();
    }

    private static int integer(String v, String name, int min, int max) {
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw new IllegalArgumentException("--rollout/--abort: " + name + " must be " + min + " to " + max
                        + ", got " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + v + "\"");
        }
    }
}
