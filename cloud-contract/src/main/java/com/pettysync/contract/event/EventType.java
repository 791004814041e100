package com.pettysync.contract.event;

import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.frame.Field;
import java.util.List;

/**
 * The event types of wire contract v1 §4, with their wire code, decoded-form name and the fields of
 * {@code data} (name and range) in wire order.
 */
public enum EventType {
    GEOFENCE_EXIT(1, Field.uint("fence_id"), Fields.LAT, Fields.LON),
    GEOFENCE_RETURN(2, Field.uint("fence_id"), Fields.LAT, Fields.LON),
    HR_ALERT(3, Field.uint("bpm"), Field.uint("limit_bpm")),
    LOW_BATTERY(4, new Field("battery_pct", 0, 100)),
    LOST_MODE_FIX(5, Fields.LAT, Fields.LON, new Field("hacc_dm", 0, 65535)),
    /** class: 0 bark, 1 growl, 2 whine, 3 howl; clip_id 0 = no clip. */
    VOCAL_EPISODE(6, new Field("class", 0, 3), new Field("conf_pct", 0, 100), Field.uint("clip_id")),
    SENSOR_FAULT(7, Field.uint("sensor_bit"), Field.uint("code")),
    /** outcome: 0 ok, 1 rolled back. */
    FIRMWARE_APPLIED(8, Field.uint("old_build"), Field.uint("new_build"), new Field("outcome", 0, 1));

    private final int code;
    private final List<Field> data;

    EventType(int code, Field... data) {
        this.code = code;
        this.data = List.of(data);
    }

    /** The wire value (1 … 8). */
    public int code() {
        return code;
    }

    /** The name in the decoded JSON form, e.g. {@code geofence_exit}. */
    public String jsonName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The fields of {@code data}, in wire order; its size is the data arity. */
    public List<Field> data() {
        return data;
    }

    public int arity() {
        return data.size();
    }

    /** The type with wire value {@code code}, or a violation at {@code path}. */
    public static EventType ofCode(long code, String path) {
        for (EventType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new ContractViolation(path, "type must be 1 … 8");
    }

    /** The type named {@code name} in the decoded form, or a violation at {@code path}. */
    public static EventType ofJsonName(String name, String path) {
        for (EventType t : values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        throw new ContractViolation(path, "unknown event type name");
    }

    private static final class Fields {
        static final Field LAT = new Field("lat_e7", -900_000_000, 900_000_000);
        static final Field LON = new Field("lon_e7", -1_800_000_000, 1_800_000_000);
    }
}
