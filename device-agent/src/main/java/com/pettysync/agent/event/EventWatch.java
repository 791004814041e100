package com.pettysync.agent.event;

import com.pettysync.contract.event.EventType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns observations into events (contract §4) the moment they are observed, with hysteresis, so a value hovering
 * at a limit does not flood the outbox: each condition fires once when it starts and re-arms only when it has
 * clearly ended. Every method takes the observation's own time ({@code tMs}, Unix milliseconds); the event's
 * {@code t} is that time, never a window's.
 *
 * <ul>
 * <li>Geofence exit / return (types 1, 2), on every fix: a fix farther than {@code radiusM + accuracy} from a
 * fence's centre is outside, one closer than {@code radiusM − accuracy} inside; in between the state is kept. The
 * first fix only sets the state (no event at start-up). Fences are replaced with {@link #setGeofences}; a new fence
 * starts from the next fix.</li>
 * <li>Heart-rate alert (3), on each sliding heart-rate estimate: the estimate has been outside {@code [min, max]}
 * on every estimate for at least {@code hrSustain} (one motion artefact does not alarm); re-armed once an estimate
 * is back inside by {@value #HR_REARM_BPM} bpm. The event carries the estimate that completed the sustain time.</li>
 * <li>Low battery (4), on each gauge reading: at or below {@value #LOW_BATTERY_PCT} %, re-armed at
 * {@value #BATTERY_REARM_PCT} % or on the charger.</li>
 * <li>Lost-mode fix (5): while lost mode is on, a fix at most every {@value #LOST_MODE_FIX_S} s of fix time.</li>
 * <li>Sensor fault (7): when a sensor goes from ok to faulted (the bit of contract §3's flags).</li>
 * </ul>
 * Thread-safe (synchronized): observations come from each sensor's own thread, new fences from the shadow.
 */
public final class EventWatch {
    public static final int LOW_BATTERY_PCT = 15;
    public static final int BATTERY_REARM_PCT = 20;
    public static final int HR_REARM_BPM = 5;
    public static final int LOST_MODE_FIX_S = 10;
    /** Default time a heart rate must stay outside its limits before it alarms. */
    public static final Duration DEFAULT_HR_SUSTAIN = Duration.ofSeconds(60);

    /** A fence: centre in degrees, radius in metres (the contract's §6 geofence). */
    public record Fence(int id, double lat, double lon, int radiusM) {
    }

    private final EventRecorder recorder;
    private final long hrSustainMs;
    private List<Fence> fences = List.of();
    private final Map<Integer, Boolean> inside = new HashMap<>();
    private boolean hrAlerting;
    private long hrOutsideSinceMs = -1;
    private boolean batteryLow;
    private int faultBits;
    private long lastLostFixMs = Long.MIN_VALUE;

    public EventWatch(EventRecorder recorder, Duration hrSustain) {
        this.recorder = recorder;
        if (hrSustain.isNegative()) {
            throw new IllegalArgumentException("hrSustain must be >= 0");
        }
        this.hrSustainMs = hrSustain.toMillis();
    }

    public synchronized void setGeofences(List<Fence> newFences) {
        fences = List.copyOf(newFences);
        inside.keySet().retainAll(fences.stream().map(Fence::id).toList());
    }

    /** A GNSS fix at Unix ms {@code tMs}: degrees × 10^7 and horizontal accuracy in decimetres. */
    public synchronized void fix(long tMs, int latE7, int lonE7, int haccDm, boolean lostMode) {
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
                recorder.recordObserved(tMs, now ? EventType.GEOFENCE_RETURN : EventType.GEOFENCE_EXIT, f.id(), latE7,
                        lonE7);
            }
        }
        if (!lostMode) {
            lastLostFixMs = Long.MIN_VALUE; // the next lost mode starts with its first fix
        } else if (lastLostFixMs == Long.MIN_VALUE || tMs - lastLostFixMs >= LOST_MODE_FIX_S * 1000L) {
            lastLostFixMs = tMs;
            recorder.recordObserved(tMs, EventType.LOST_MODE_FIX, latE7, lonE7, Math.min(65535, haccDm));
        }
    }

    /** A sliding heart-rate estimate made at Unix ms {@code tMs}, against the configured limits. */
    public synchronized void heartRate(long tMs, int bpm, int minLimit, int maxLimit) {
        boolean outside = bpm > maxLimit || bpm < minLimit;
        if (!outside) {
            hrOutsideSinceMs = -1;
            if (hrAlerting && bpm <= maxLimit - HR_REARM_BPM && bpm >= minLimit + HR_REARM_BPM) {
                hrAlerting = false;
            }
            return;
        }
        if (hrOutsideSinceMs < 0 || tMs < hrOutsideSinceMs) {
            hrOutsideSinceMs = tMs;
        }
        if (!hrAlerting && tMs - hrOutsideSinceMs >= hrSustainMs) {
            hrAlerting = true;
            recorder.recordObserved(tMs, EventType.HR_ALERT, bpm, bpm > maxLimit ? maxLimit : minLimit);
        }
    }

    /** A fuel-gauge reading at Unix ms {@code tMs}. */
    public synchronized void battery(long tMs, int pct, boolean charging) {
        if (!batteryLow && pct <= LOW_BATTERY_PCT && !charging) {
            batteryLow = true;
            recorder.recordObserved(tMs, EventType.LOW_BATTERY, pct);
        } else if (batteryLow && (pct >= BATTERY_REARM_PCT || charging)) {
            batteryLow = false;
        }
    }

    /**
     * A sensor's state as its poller marked it at Unix ms {@code tMs}: {@code bit} is its contract §3 fault flag
     * (16, 32, 64, 128); a change from ok to faulted records the event with the driver's {@code code}.
     */
    public synchronized void sensor(long tMs, int bit, boolean faulted, int code) {
        if (faulted && (faultBits & bit) == 0) {
            recorder.recordObserved(tMs, EventType.SENSOR_FAULT, bit, code);
        }
        faultBits = faulted ? faultBits | bit : faultBits & ~bit;
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
