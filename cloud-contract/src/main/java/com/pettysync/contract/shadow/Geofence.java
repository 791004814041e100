package com.pettysync.contract.shadow;

/**
 * A circular geofence (shadow setting {@code geofences}, wire contract §6): leaving or re-entering it raises a
 * geofence exit or return event (§4) carrying {@code id}.
 *
 * <p>Rules (checked by {@link ConfigDelta} when the fence comes from a shadow document, and by this constructor):
 * {@code id} {@value #MIN_ID} … {@value #MAX_ID} and unique within the list (it is the event's {@code fence_id});
 * {@code lat} −90 … 90 and {@code lon} −180 … 180 degrees (WGS84, finite); {@code radiusM} {@value #MIN_RADIUS_M} …
 * {@value #MAX_RADIUS_M} metres (below 10 m GNSS error alone would make the collar flap in and out; above 50 km the
 * fence stops meaning "home" or "park").
 *
 * @param id fence id
 * @param lat centre latitude, degrees
 * @param lon centre longitude, degrees
 * @param radiusM radius, metres
 */
public record Geofence(int id, double lat, double lon, int radiusM) {
    public static final int MIN_ID = 0;
    public static final int MAX_ID = 65535;
    public static final int MIN_RADIUS_M = 10;
    public static final int MAX_RADIUS_M = 50_000;

    /** @throws IllegalArgumentException if a value is out of its range */
    public Geofence {
        if (id < MIN_ID || id > MAX_ID) {
            throw new IllegalArgumentException("geofence id must be " + MIN_ID + " … " + MAX_ID + ", got " + id);
        }
        if (!(lat >= -90 && lat <= 90)) {
            throw new IllegalArgumentException("geofence lat must be −90 … 90, got " + lat);
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw new IllegalArgumentException("geofence lon must be −180 … 180, got " + lon);
        }
        if (radiusM < MIN_RADIUS_M || radiusM > MAX_RADIUS_M) {
            throw new IllegalArgumentException("geofence radiusM must be " + MIN_RADIUS_M + " … " + MAX_RADIUS_M
                    + ", got " + radiusM);
        }
    }

    /** Latitude in degrees × 10^7, rounded, as in frames (§3). */
    public int latE7() {
        return (int) Math.round(lat * 1e7);
    }

    /** Longitude in degrees × 10^7, rounded, as in frames (§3). */
    public int lonE7() {
        return (int) Math.round(lon * 1e7);
    }
}
