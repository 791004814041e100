package com.pettysync.contract.topic;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code $aws/things/{thing}/shadow/name/{shadow}/{operation}}: a topic of a named device shadow. The collar's
 * settings live in the shadow named {@value #CONFIG} (wire contract §6); other names parse too, so that a broker
 * stand-in can serve any named shadow.
 *
 * <p>Shadow names: 1–64 characters of {@code [a-zA-Z0-9:_-]}
 * (https://docs.aws.amazon.com/iot/latest/developerguide/iot-device-shadows.html, "Named shadow … names").
 *
 * @param thing the collar
 * @param shadowName the named shadow
 * @param operation which of the shadow's topics
 */
public record ShadowTopic(ThingName thing, String shadowName, ShadowOperation operation) implements CollarTopic {
    /** The named shadow that holds a collar's settings. */
    public static final String CONFIG = "config";

    private static final Pattern SHADOW_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,64}");

    /** @throws TopicException if the shadow name is invalid */
    public ShadowTopic {
        Objects.requireNonNull(thing, "thing");
        Objects.requireNonNull(operation, "operation");
        if (shadowName == null || !SHADOW_NAME.matcher(shadowName).matches()) {
            throw new TopicException("shadow name " + ThingName.quote(shadowName)
                    + ": must be 1–64 characters of [a-zA-Z0-9:_-]");
        }
    }

    /** A topic of the collar's {@value #CONFIG} shadow. */
    public static ShadowTopic config(ThingName thing, ShadowOperation operation) {
        return new ShadowTopic(thing, CONFIG, operation);
    }

    @Override
    public String name() {
        return TopicScheme.THINGS_PREFIX + thing.value() + "/shadow/name/" + shadowName + "/" + operation.suffix();
    }
}
