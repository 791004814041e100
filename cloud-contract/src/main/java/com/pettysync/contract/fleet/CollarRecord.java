package com.pettysync.contract.fleet;

import com.pettysync.contract.topic.ThingName;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The deployment record of one collar — what the factory knows about it, plus the dog profile it is paired with —
 * and its two written forms: the thing's attributes ({@link #toAttributes()}) and the parameters of a fleet
 * provisioning RegisterThing request ({@link #toProvisioningParameters()}). Always valid; the value rules are those
 * of {@link CollarAttribute}.
 *
 * <p>Absent factory fields are written as {@value CollarAttribute#UNKNOWN} — the provisioning template's default —
 * so a collar registered by the factory tool and one registered by fleet provisioning have the same attributes;
 * reading {@value CollarAttribute#UNKNOWN} back gives an absent field. An absent dog profile is not written at all
 * (the attribute appears when the collar is paired).
 *
 * @param serial the serial number; the thing name is {@code collar-<serial>}
 * @param hardwareRevision the board revision, e.g. {@code r3}
 * @param batch the production batch, e.g. {@code B2026-11}
 * @param productionLine the line that assembled it, e.g. {@code shenzhen-2}
 * @param manufactureDate the day it was flashed
 * @param dogProfile the app's reference to the dog it is paired with
 */
public record CollarRecord(SerialNumber serial, Optional<String> hardwareRevision, Optional<String> batch,
        Optional<String> productionLine, Optional<LocalDate> manufactureDate, Optional<String> dogProfile) {

    /** @throws FleetValueException ({@code attributes.<name>}) if a present field breaks its rule */
    public CollarRecord {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(hardwareRevision, "hardwareRevision");
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(productionLine, "productionLine");
        Objects.requireNonNull(manufactureDate, "manufactureDate");
        Objects.requireNonNull(dogProfile, "dogProfile");
        hardwareRevision.ifPresent(CollarAttribute.HARDWARE_REVISION::check);
        batch.ifPresent(CollarAttribute.BATCH::check);
        productionLine.ifPresent(CollarAttribute.PRODUCTION_LINE::check);
        manufactureDate.ifPresent(d -> CollarAttribute.MANUFACTURE_DATE.check(d.toString()));
        dogProfile.ifPresent(CollarAttribute.DOG_PROFILE::check);
    }

    /** A record with only the serial number known. */
    public static CollarRecord of(SerialNumber serial) {
        return new CollarRecord(serial, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public CollarRecord withHardwareRevision(String value) {
        return new CollarRecord(serial, Optional.of(value), batch, productionLine, manufactureDate, dogProfile);
    }

    public CollarRecord withBatch(String value) {
        return new CollarRecord(serial, hardwareRevision, Optional.of(value), productionLine, manufactureDate,
                dogProfile);
    }

    public CollarRecord withProductionLine(String value) {
        return new CollarRecord(serial, hardwareRevision, batch, Optional.of(value), manufactureDate, dogProfile);
    }

    public CollarRecord withManufactureDate(LocalDate value) {
        return new CollarRecord(serial, hardwareRevision, batch, productionLine, Optional.of(value), dogProfile);
    }

    public CollarRecord withDogProfile(String value) {
        return new CollarRecord(serial, hardwareRevision, batch, productionLine, manufactureDate, Optional.of(value));
    }

    /** The collar's thing name, {@code collar-<serial>}. */
    public ThingName thingName() {
        return serial.thingName();
    }

    /** The thing attributes: the five factory ones always ({@value CollarAttribute#UNKNOWN} when absent), then the
     *  dog profile when present. */
    public ThingAttributes toAttributes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (CollarAttribute a : CollarAttribute.values()) {
            value(a).ifPresentOrElse(v -> out.put(a.attributeName(), v), () -> {
                if (a.provisioningParameter().isPresent()) {
                    out.put(a.attributeName(), CollarAttribute.UNKNOWN);
                }
            });
        }
        return ThingAttributes.of(out);
    }

    /**
     * The {@code parameters} of a RegisterThing request for the fleet provisioning template
     * ({@link ProvisioningTemplateBody}): {@code SerialNumber} and every known factory field; absent ones are left
     * out so that the template's default applies. The dog profile is never sent.
     */
    public Map<String, String> toProvisioningParameters() {
        Map<String, String> out = new LinkedHashMap<>();
        for (CollarAttribute a : CollarAttribute.values()) {
            a.provisioningParameter().ifPresent(p -> value(a).ifPresent(v -> out.put(p, v)));
        }
        return out;
    }

    /**
     * The record a thing's attributes describe: {@code serial} is required, {@value CollarAttribute#UNKNOWN} reads as
     * absent.
     *
     * @throws FleetValueException ({@code attributes.<name>}) on a name that is not a collar attribute, a value that
     *     breaks its rule, or a missing {@code serial}
     */
    public static CollarRecord fromAttributes(ThingAttributes attributes) {
        Map<CollarAttribute, String> known = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : attributes.asMap().entrySet()) {
            CollarAttribute a = CollarAttribute.byName(e.getKey()).orElseThrow(() -> new FleetValueException(
                    "attributes." + e.getKey(), "not a collar attribute (known: " + CollarAttribute.names() + ")"));
            if (!(e.getValue().equals(CollarAttribute.UNKNOWN) && a.provisioningParameter().isPresent()
                    && a != CollarAttribute.SERIAL)) {
                a.check(e.getValue());
                known.put(a, e.getValue());
            }
        }
        String serial = known.get(CollarAttribute.SERIAL);
        if (serial == null) {
            throw new FleetValueException("attributes.serial", "missing: every collar has a serial number");
        }
        return new CollarRecord(SerialNumber.of(serial),
                Optional.ofNullable(known.get(CollarAttribute.HARDWARE_REVISION)),
                Optional.ofNullable(known.get(CollarAttribute.BATCH)),
                Optional.ofNullable(known.get(CollarAttribute.PRODUCTION_LINE)),
                Optional.ofNullable(known.get(CollarAttribute.MANUFACTURE_DATE)).map(LocalDate::parse),
                Optional.ofNullable(known.get(CollarAttribute.DOG_PROFILE)));
    }

    /**
     * The record from command-line {@code name=value} pairs ({@code serial=PS0042 batch=B2026-11 …}): the pairs are
     * checked as thing attributes ({@link ThingAttributes#parse(List)}), then as a collar's
     * ({@link #fromAttributes(ThingAttributes)}).
     *
     * @throws FleetValueException naming the pair or the attribute that breaks a rule
     */
    public static CollarRecord parse(List<String> pairs) {
        return fromAttributes(ThingAttributes.parse(pairs));
    }

    private Optional<String> value(CollarAttribute a) {
        return switch (a) {
            case SERIAL -> Optional.of(serial.value());
            case HARDWARE_REVISION -> hardwareRevision;
            case BATCH -> batch;
            case PRODUCTION_LINE -> productionLine;
            case MANUFACTURE_DATE -> manufactureDate.map(LocalDate::toString);
            case DOG_PROFILE -> dogProfile;
        };
    }
}
