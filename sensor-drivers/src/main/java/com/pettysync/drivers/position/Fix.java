package com.pettysync.drivers.position;

/**
 * One GNSS epoch with a valid fix (GGA quality ≥ 1 or RMC status A), assembled from the GGA, RMC, GSA and GST
 * sentences of the same UTC time.
 *
 * @param tNanos monotonic time at which the epoch was completed (reader clock)
 * @param utcMillis Unix milliseconds, UTC, from the sentence time and the latest RMC date
 * @param latE7 latitude in 1e-7 degrees, north positive; null when the sentences carried none
 * @param lonE7 longitude in 1e-7 degrees, east positive; null when absent
 * @param haccDm horizontal accuracy estimate in decimetres (from GST, else HDOP × {@link NmeaReader#UERE_METRES});
 *     null when neither is present
 * @param quality GGA fix quality (0 invalid, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 dead reckoning); null
 *     without a GGA
 * @param sats satellites used (GGA); null when absent
 */
public record Fix(long tNanos, long utcMillis, Integer latE7, Integer lonE7, Integer haccDm, Integer quality,
        Integer sats) {

    /** The epoch as one JSON object, absent fields left out: {@code {"t":…,"lat_e7":…,…}}. */
    public String toJson() {
        StringBuilder b = new StringBuilder(96).append("{\"t\":").append(utcMillis);
        if (latE7 != null) {
            b.append(",\"lat_e7\":").append(latE7);
        }
        if (lonE7 != null) {
            b.append(",\"lon_e7\":").append(lonE7);
        }
        if (haccDm != null) {
            b.append(",\"hacc_dm\":").append(haccDm);
        }
        if (quality != null) {
            b.append(",\"quality\":").append(quality);
        }
        if (sats != null) {
            b.append(",\"sats\":").append(sats);
        }
        return b.append('}').toString();
    }
}
