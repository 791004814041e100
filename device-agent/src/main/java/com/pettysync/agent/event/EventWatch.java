package com.pettysync.agent.event;

import com.pettysync.contract.event.EventType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns readings into events (contract §4) with hysteresis, so a value hovering at a limit does not flood the
 * outbox: each condition fires once when it starts and re-arms only when it has clearly ended.
 *
 * <ul>
 * <li>Geofence exit / return (types 1, 2): a fix farther than {@code radiusM + accuracy} from a fence's centre is
 * outside, one closer than {@code radiusM − accuracy} inside; in between the state is kept. The first fix only
 * sets the state (no event at start-up). Fences are replaced with {@link #setGeofences}; a new fence starts from
 * the next fix.</li>
 * <li>Heart-rate alert (3): a window's mean bpm outside {@code [min, max]}; re-armed once back inside by 5 bpm.</li>
 * <li>Low battery (4): at or below {@value #LOW_BATTERY_PCT} %, re-armed at {@value #BATTERY_REARM_PCT} % or on the
 * charger.</li>
 * <li>Lost-mode fix (5): while lost mode is on, a fix at most every {@value #LOST_MODE_FIX_S} s.</li>
 * <li>Sensor fault (7): when a sensor's fault bit goes from clear to set (the bit of contract §3's flags).</li>
 * </ul>
 * Thread-safe (synchronized): readings come from the window thread, new fences from the shadow.
 */
public final class EventWatch {
    public static final int LOW_BATTERY_PCT = 15;
    public static final int BATTERY_REARM_PCT = 20;
    public static final int HR_REARM_BPM = 5;
    public static final int LOST_MODE_FIX_S = 10;

    /** A fence: centre in degrees, radius in metres (the contract's §6 geofence). */
    public record Fence(int id, double lat, double lon, int radiusM) {
    }

    private final EventRecorder recorder;
    private final Clock clock;
    private List<Fence> fences = List.of();
    private final Map<Integer, Boolean> inside = new HashMap<>();
    private boolean hrAlerting;
    private boolean batteryLow;
    private int faultBits;
    private Instant lastLostFix = Instant.MIN;

    public EventWatch(EventRecorder recorder, Clock clock) {
        this.recorder = recorder;
        this.clock = clock;
    }

    public synchronized void setGeofences(List<Fence> newFences) {
        fences = List.copyOf(newFences);
        inside.keySet().retainAll(fences.stream().map(Fence::id).toList());
    }

    /** A GNSS fix: degrees × 10^7 and horizontal accuracy in decimetres. */
    public synchronized void fix(int latE7, int lonE7, int haccDm, boolean lostMode) {
        double lat = latE7 / 1e7;
        double lon = lonE7 / 1e7;
        double acc = haccDm / 10.0;
        for (Fence f : fences) {
            double d = distanceM(lat, lon, f.lat(), f.lon());
            Boolean was = inside.get(f.id());
            Boolean now = d > f.radiusM() + acc ? Boolean.FALSE : d < f.radiusM() - acc ? Boolean.TRUE : was;
            if (now == null) {
                continue;
            }
            inside.put(f.id(), now);
            if (was != null && !was.equals(now)) {
                recorder.record(now ? EventType.GEOFENCE_RETURN : EventType.GEOFENCE_EXIT, f.id(), latE7, lonE7);
            }
        }
        Instant t = clock.instant();
        if (lostMode && !t.isBefore(lastLostFix.plus(Duration.ofSeconds(LOST_MODE_FIX_S)))) {
            lastLostFix = t;
            recorder.record(EventType.LOST_MODE_FIX, latE7, lonE7, Math.min(65535, haccDm));
        }
    }

    /** A window's mean heart rate against the configured limits. */
    public synchronized void heartRate(int meanBpm, int minLimit, int maxLimit) {
        if (!hrAlerting && (meanBpm > maxLimit || meanBpm < minLimit)) {
            hrAlerting = true;
            recorder.record(EventType.HR_ALERT, meanBpm, meanBpm > maxLimit ? maxLimit : minLimit);
        } else if (hrAlerting && meanBpm <= maxLimit - HR_REARM_BPM && meanBpm >= minLimit + HR_REARM_BPM) {
            hrAlerting = false;
        }
    }

    public synchronized void battery(int pct, boolean charging) {
        if (!batteryLow && pct <= LOW_BATTERY_PCT && !charging) {
            batteryLow = true;
            recorder.record(EventType.LOW_BATTERY, pct);
        } else if (batteryLow && (pct >= BATTERY_REARM_PCT || charging)) {
            batteryLow = false;
        }
    }

    /** The current fault bits (contract §3 flag bits 16, 32, 64, 128) and a driver's error code. */
    public synchronized void faults(int bits, int code) {
        faults(bits, bit -> code);
    }

    /** The current fault bits, with the driver's error code for each rising bit. */
    public synchronized void faults(int bits, java.util.function.IntUnaryOperator codeOfBit) {
        int rising = bits & ~faultBits;
        for (int bit = 16; bit <= 128; bit <<= 1) {
            if ((rising & bit) != 0) {
                recorder.record(EventType.SENSOR_FAULT, bit, codeOfBit.applyAsInt(bit));
            }
        }
        faultBits = bits;
    }

    /** Great-circle distance (haversine, mean Earth radius 6,371,008.8 m). */
    static double distanceM(double lat1, double lon1, double lat2, double lon2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dp = p2 - p1;
        double dl = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
