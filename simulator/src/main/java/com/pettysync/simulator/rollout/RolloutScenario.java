package com.pettysync.simulator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.provisioning.ota.RolloutSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A firmware rollout to simulate ({@code pettysync simulate --rollout FILE}), as JSON; every field optional:
 *
 * <pre>
 * {"collars": 1000,                       fleet size
 *  "failingPercent": 2,                    share of collars whose new build fails its health check
 *  "fromBuild": 1043, "toBuild": 1044,     running build, new build
 *  "artifactBytes": 65536,                 size of the signed firmware artifact
 *  "rollout": "base=5,increment=2,max=100,succeeded=20",   as ota publish --rollout
 *  "abort": ["failed>1%@min50"],           as ota publish --abort
 *  "timeout": "30m",                       as ota publish --timeout
 *  "healthCheckS": 600,                    time a trial build has to pass its health check (ota.healthCheckS)
 *  "healthyAfterS": 300,                   when a good build passes it (connected, first PUBACK, first window)
 *  "restartS": 20,                         simulated time a restart takes
 *  "maxDuration": "12h",                   simulated time after which the run stops
 *  "seed": 1}                              which collars fail (exactly round(collars × failingPercent / 100))
 * </pre>
 */
public record RolloutScenario(int collars, double failingPercent, long fromBuild, long toBuild, int artifactBytes,
        String rollout, List<String> abort, String timeout, Duration healthCheck, Duration healthyAfter,
        Duration restart,
        Duration maxDuration, long seed) {
    private static final Set<String> FIELDS = Set.of("collars", "failingPercent", "fromBuild", "toBuild",
            "artifactBytes", "rollout", "abort", "timeout", "healthCheckS", "healthyAfterS", "restartS", "maxDuration", "seed");

    public static final RolloutScenario DEFAULT = new RolloutScenario(1000, 2, 1043, 1044, 64 * 1024,
            "base=5,increment=2,max=100,succeeded=20", List.of("failed>1%@min50"), "30m", Duration.ofMinutes(10),
            Duration.ofMinutes(5), Duration.ofSeconds(20), Duration.ofHours(12), 1);

    /** @throws IllegalArgumentException naming the first bad value */
    public RolloutScenario {
        if (collars < 1 || collars > 100_000) {
            throw new IllegalArgumentException("collars must be 1 to 100,000, got " + collars);
        }
        if (!(failingPercent >= 0 && failingPercent <= 100)) {
            throw new IllegalArgumentException("failingPercent must be 0 to 100, got " + failingPercent);
        }
        if (fromBuild < 0 || toBuild <= fromBuild) {
            throw new IllegalArgumentException("toBuild must be newer than fromBuild");
        }
        if (artifactBytes < 1024 || artifactBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("artifactBytes must be 1 KiB to 16 MiB, got " + artifactBytes);
        }
        abort = List.copyOf(abort);
        if (rollout != null) {
            RolloutSpec.rollout(rollout);
        }
        if (!abort.isEmpty()) {
            RolloutSpec.abort(abort);
        }
        if (timeout != null) {
            RolloutSpec.timeout(timeout);
        }
        if (healthCheck.toSeconds() < 1 || restart.isNegative() || maxDuration.toMinutes() < 1
                || healthyAfter.isNegative() || healthyAfter.compareTo(healthCheck) >= 0) {
            throw new IllegalArgumentException("healthCheckS ≥ 1, 0 ≤ healthyAfterS < healthCheckS, restartS ≥ 0, "
                    + "maxDuration ≥ 1 minute");
        }
    }

    /** How many collars fail. */
    public int failing() {
        return (int) Math.round(collars * failingPercent / 100.0);
    }

    /** Reads a scenario file. */
    public static RolloutScenario read(Path file) throws IOException {
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(file + ": a rollout scenario is a JSON object");
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(file + ": unknown field \"" + f + "\" (" + FIELDS + ")");
            }
        });
        RolloutScenario d = DEFAULT;
        List<String> abort = d.abort();
        if (n.has("abort")) {
            abort = new ArrayList<>();
            for (JsonNode a : n.get("abort")) {
                abort.add(a.asText());
            }
        }
        return new RolloutScenario(n.path("collars").asInt(d.collars()),
                n.path("failingPercent").asDouble(d.failingPercent()), n.path("fromBuild").asLong(d.fromBuild()),
                n.path("toBuild").asLong(d.toBuild()), n.path("artifactBytes").asInt(d.artifactBytes()),
                n.has("rollout") ? n.get("rollout").asText(null) : d.rollout(), abort,
                n.has("timeout") ? n.get("timeout").asText(null) : d.timeout(),
                Duration.ofSeconds(n.path("healthCheckS").asLong(d.healthCheck().toSeconds())),
                Duration.ofSeconds(n.path("healthyAfterS").asLong(d.healthyAfter().toSeconds())),
                Duration.ofSeconds(n.path("restartS").asLong(d.restart().toSeconds())),
                n.has("maxDuration") ? duration(n.get("maxDuration").asText()) : d.maxDuration(),
                n.path("seed").asLong(d.seed()));
    }

    static Duration duration(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        long v = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(v);
            case 'm' -> Duration.ofMinutes(v);
            case 'h' -> Duration.ofHours(v);
            default -> throw new IllegalArgumentException("duration: 90s, 10m, 2h or ISO-8601, got " + text);
        };
    }
}
