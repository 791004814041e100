package com.pettysync.contract.topic;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AWS IoT identity of one collar: 1–128 characters of {@code [a-zA-Z0-9:_-]} (wire contract §1). The MQTT
 * client ID equals the thing name.
 *
 * <p>The character set and length are those of the AWS IoT registry's {@code thingName}
 * (https://docs.aws.amazon.com/iot/latest/apireference/API_CreateThing.html: "Length Constraints: Minimum length of
 * 1. Maximum length of 128. Pattern: [a-zA-Z0-9:_-]+"). None of these characters is special in an MQTT topic
 * ({@code / + # $}), so a thing name can be placed in a topic level as is. The product's convention is
 * {@code collar-} followed by the serial number ({@link #forSerial(String)}).
 *
 * @param value the thing name, validated
 */
public record ThingName(String value) {
    /** Most characters a thing name has. */
    public static final int MAX_LENGTH = 128;
    /** Prefix of every collar's thing name. */
    public static final String COLLAR_PREFIX = "collar-";

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");

    /** @throws TopicException if {@code value} is not a valid thing name */
    public ThingName {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new TopicException("thing name " + quote(value) + ": must be 1–128 characters of [a-zA-Z0-9:_-]");
        }
    }

    /** The thing name {@code value}; same as the constructor. */
    public static ThingName of(String value) {
        return new ThingName(value);
    }

    /** Whether {@code value} is a valid thing name. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /**
     * The product's thing name for a collar with this serial number: {@code collar-<serial>}.
     *
     * @throws TopicException if the serial is empty or the result is not a valid thing name
     */
    public static ThingName forSerial(String serial) {
        if (serial == null || serial.isEmpty()) {
            throw new TopicException("serial number " + quote(serial) + ": must not be empty");
        }
        if (!VALID.matcher(serial).matches() || COLLAR_PREFIX.length() + serial.length() > MAX_LENGTH) {
            throw new TopicException("serial number " + quote(serial) + ": must be 1–" + (MAX_LENGTH
                    - COLLAR_PREFIX.length()) + " characters of [a-zA-Z0-9:_-]");
        }
        return new ThingName(COLLAR_PREFIX + serial);
    }

    /** The serial number, when this name follows the {@code collar-<serial>} convention. */
    public Optional<String> serial() {
        return value.startsWith(COLLAR_PREFIX) && value.length() > COLLAR_PREFIX.length()
                ? Optional.of(value.substring(COLLAR_PREFIX.length()))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
