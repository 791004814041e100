package com.pettysync.contract.fleet;

import com.pettysync.contract.topic.ThingName;
import java.util.regex.Pattern;

/**
 * A collar's serial number, as printed on its label and written to its flash at the factory: 4–32 characters of
 * {@code [A-Z0-9]} (upper-case letters and digits only, so it reads aloud, survives a case-insensitive system and
 * is the same in a thing name, a topic, a file name and a certificate subject). Its thing name is
 * {@code collar-<serial>} ({@link ThingName#forSerial(String)}, at most 39 characters, well inside AWS's 128).
 *
 * @param value the serial number, validated
 */
public record SerialNumber(String value) {
    /** Fewest characters of a serial number. */
    public static final int MIN_LENGTH = 4;
    /** Most characters of a serial number. */
    public static final int MAX_LENGTH = 32;

    private static final Pattern VALID = Pattern.compile("[A-Z0-9]{" + MIN_LENGTH + "," + MAX_LENGTH + "}");

    /** @throws FleetValueException ({@code serial}) if {@code value} is not 4–32 characters of {@code [A-Z0-9]} */
    public SerialNumber {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new FleetValueException("serial", FleetValueException.quote(value) + " must be " + MIN_LENGTH + "–"
                    + MAX_LENGTH + " characters of [A-Z0-9]");
        }
    }

    /** The serial number {@code value}; same as the constructor. */
    public static SerialNumber of(String value) {
        return new SerialNumber(value);
    }

    /**
     * The serial number of a collar's thing name {@code collar-<serial>}.
     *
     * @throws FleetValueException ({@code thingName}) if the name does not follow the convention or its serial is
     *     not valid
     */
    public static SerialNumber fromThingName(ThingName thing) {
        String serial = thing.serial().orElseThrow(() -> new FleetValueException("thingName",
                FleetValueException.quote(thing.value()) + " must be " + ThingName.COLLAR_PREFIX + "<serial>"));
        try {
            return new SerialNumber(serial);
        } catch (FleetValueException e) {
            throw new FleetValueException("thingName", FleetValueException.quote(thing.value()) + ": " + e.rule());
        }
    }

    /** The collar's thing name, {@code collar-<serial>}. */
    public ThingName thingName() {
        return ThingName.forSerial(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
