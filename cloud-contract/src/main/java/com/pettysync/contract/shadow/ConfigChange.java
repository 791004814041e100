package com.pettysync.contract.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The outcome of applying a shadow delta or desired state to a {@link CollarConfig}: the new settings, what was
 * applied, and what was rejected and why.
 *
 * @param config the settings after the change (equal to the old ones when nothing was applied)
 * @param applied each applied setting by name, with its new value as it will be reported
 * @param rejected each rejected setting or field by path ({@code keepAliveS}, {@code hrLimits},
 *     {@code geofences[2].radiusM}, or {@code state} for a document that could not be read), with the reason; at
 *     most {@value #MAX_REJECTIONS} entries plus one {@value #MORE_KEY} entry counting the rest
 * @param version the shadow document's {@code version}, when it had one (deltas can arrive out of order: a
 *     caller should ignore a version not newer than the last one it applied)
 */
public record ConfigChange(CollarConfig config, Map<String, JsonNode> applied, Map<String, String> rejected,
        OptionalLong version) {
    /** Most rejections listed one by one (keeps the reported document far below the 8 KB shadow limit). */
    public static final int MAX_REJECTIONS = 16;
    /** Key that counts rejections beyond {@link #MAX_REJECTIONS}. */
    public static final String MORE_KEY = "…";

    public ConfigChange {
        Objects.requireNonNull(config, "config");
        applied = Collections.unmodifiableMap(new LinkedHashMap<>(applied));
        rejected = Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
        Objects.requireNonNull(version, "version");
    }

    /** Whether anything was rejected. */
    public boolean hasRejections() {
        return !rejected.isEmpty();
    }
}
