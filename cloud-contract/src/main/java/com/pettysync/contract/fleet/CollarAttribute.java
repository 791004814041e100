package com.pettysync.contract.fleet;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The thing attributes of a collar — its deployment record ({@link CollarRecord}) as the AWS IoT registry stores it —
 * with each attribute's name, value rule, fleet-provisioning parameter and whether the thing type makes it
 * searchable.
 *
 * <table>
 *   <caption>collar thing attributes</caption>
 *   <tr><th>attribute</th><th>value</th><th>provisioning parameter</th><th>searchable</th></tr>
 *   <tr><td>{@code serial}</td><td>{@link SerialNumber}: 4–32 of {@code [A-Z0-9]}</td><td>{@code SerialNumber}
 *       (required)</td><td>no (the thing name already carries it)</td></tr>
 *   <tr><td>{@code hardwareRevision}</td><td>token</td><td>{@code HardwareRevision}</td><td>yes</td></tr>
 *   <tr><td>{@code batch}</td><td>token</td><td>{@code Batch}</td><td>yes</td></tr>
 *   <tr><td>{@code productionLine}</td><td>token</td><td>{@code ProductionLine}</td><td>yes</td></tr>
 *   <tr><td>{@code manufactureDate}</td><td>ISO date {@code yyyy-MM-dd}</td><td>{@code ManufactureDate}</td>
 *       <td>no</td></tr>
 *   <tr><td>{@code dogProfile}</td><td>1–128 of {@code [A-Za-z0-9._:/@#-]}</td><td>none: set when the collar is
 *       paired with a dog, not at the factory</td><td>no</td></tr>
 * </table>
 *
 * A token is 1–64 of {@code [A-Za-z0-9._-]}. The factory attributes other than {@code serial} may be
 * {@value #UNKNOWN} when not recorded: that is also the provisioning template's default, so a thing made by the
 * factory tool and one made by fleet provisioning carry the same attribute set. {@value #UNKNOWN} is therefore not a
 * value of its own. The three searchable ones are the questions a fleet operator asks the registry without fleet
 * indexing: "which collars of batch B / hardware revision R / line L" (recalls, firmware targeting).
 */
public enum CollarAttribute {
    SERIAL("serial", "SerialNumber", false),
    HARDWARE_REVISION("hardwareRevision", "HardwareRevision", true),
    BATCH("batch", "Batch", true),
    PRODUCTION_LINE("productionLine", "ProductionLine", true),
    MANUFACTURE_DATE("manufactureDate", "ManufactureDate", false),
    DOG_PROFILE("dogProfile", null, false);

    /** The value of a factory attribute that was not recorded; the provisioning template's default. */
    public static final String UNKNOWN = "unknown";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern PROFILE = Pattern.compile("[A-Za-z0-9._:/@#-]{1,128}");

    private final String attributeName;
    private final String provisioningParameter;
    private final boolean searchable;

    CollarAttribute(String attributeName, String provisioningParameter, boolean searchable) {
        this.attributeName = attributeName;
        this.provisioningParameter = provisioningParameter;
        this.searchable = searchable;
    }

    /** The thing attribute's name, e.g. {@code hardwareRevision}. */
    public String attributeName() {
        return attributeName;
    }

    /**
     * The fleet-provisioning template parameter that fills this attribute (e.g. {@code HardwareRevision}), empty for
     * {@link #DOG_PROFILE}, which the factory does not know.
     */
    public Optional<String> provisioningParameter() {
        return Optional.ofNullable(provisioningParameter);
    }

    /** Whether the provisioning template's parameter for it is required (only {@link #SERIAL}). */
    public boolean requiredAtProvisioning() {
        return this == SERIAL;
    }

    /** Whether the collar thing type lists it as a searchable attribute. */
    public boolean isSearchable() {
        return searchable;
    }

    /** The collar thing type's searchable attribute names, in this enum's order (3, AWS's maximum). */
    public static List<String> searchable() {
        List<String> out = new ArrayList<>();
        for (CollarAttribute a : values()) {
            if (a.searchable) {
                out.add(a.attributeName);
            }
        }
        return ThingAttributes.checkSearchable(out);
    }

    /** The attribute of this name, if it is one of a collar's. */
    public static Optional<CollarAttribute> byName(String attributeName) {
        for (CollarAttribute a : values()) {
            if (a.attributeName.equals(attributeName)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Every collar attribute name, comma-separated, for error messages. */
    static String names() {
        StringBuilder b = new StringBuilder();
        for (CollarAttribute a : values()) {
            b.append(b.isEmpty() ? "" : ", ").append(a.attributeName);
        }
        return b.toString();
    }

    /**
     * Checks a value of this attribute ({@value #UNKNOWN} not included: see {@link CollarRecord}).
     *
     * @throws FleetValueException ({@code attributes.<name>}) if it breaks this attribute's rule
     */
    void check(String value) {
        String field = "attributes." + attributeName;
        switch (this) {
            case SERIAL -> {
                try {
                    SerialNumber.of(value);
                } catch (FleetValueException e) {
                    throw new FleetValueException(field, e.rule());
                }
            }
            case HARDWARE_REVISION, BATCH, PRODUCTION_LINE -> {
                if (value == null || !TOKEN.matcher(value).matches()) {
                    throw new FleetValueException(field, FleetValueException.quote(value)
                            + " must be 1–64 characters of [A-Za-z0-9._-]");
                }
                if (value.equals(UNKNOWN)) {
                    throw new FleetValueException(field, "'" + UNKNOWN + "' stands for a missing value; leave it out");
                }
            }
            case MANUFACTURE_DATE -> {
                try {
                    if (value == null || !DATE.matcher(value).matches()) {
                        throw new DateTimeParseException("not yyyy-MM-dd", String.valueOf(value), 0);
                    }
                    LocalDate.parse(value);
                } catch (DateTimeParseException e) {
                    throw new FleetValueException(field, FleetValueException.quote(value)
                            + " must be an ISO date yyyy-MM-dd");
                }
            }
            case DOG_PROFILE -> {
                if (value == null || !PROFILE.matcher(value).matches()) {
                    throw new FleetValueException(field, FleetValueException.quote(value)
                            + " must be 1–128 characters of [A-Za-z0-9._:/@#-]");
                }
            }
        }
    }
}
