package com.pettysync.agent.uplink;

import com.pettysync.drivers.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import org.tinylog.Logger;

/**
 * One lane's pause after a rejection or a failed publish — {@link PubackReason}'s {@code PAUSE} and
 * {@code BACK_OFF} rules, the one home of both for the frame, voice and raw lanes. {@code PAUSE} (0x87) pauses the
 * lane for the not-authorized pause; {@code BACK_OFF} (and a publish that failed on a live session) pauses it for a
 * full-jitter delay ({@link Backoff}, the uplink's one instance) that grows with each rejection in a row, is never
 * shorter than the minimum, and starts over after the lane's next accepted publish ({@link #accepted}). A back-off
 * never shortens a pause already running. A pause holds back only its own lane.
 *
 * <p>Confined to the uplink's thread (used from {@link Uplink#tick()} only).
 */
final class LanePause {
    private final String lane;
    private final Backoff backoff;
    private final Duration minPause;
    private final Duration notAuthorizedPause;
    private Instant until = Instant.MIN;
    private int failures;

    /** @param lane the lane as the log names it ("publishing", "voice", "raw lane") */
    LanePause(String lane, Backoff backoff, Duration minPause, Duration notAuthorizedPause) {
        this.lane = lane;
        this.backoff = backoff;
        this.minPause = minPause;
        this.notAuthorizedPause = notAuthorizedPause;
    }

    /** Whether the lane is paused at {@code now}. */
    boolean active(Instant now) {
        return now.isBefore(until);
    }

    /** The end of the current (or last) pause. */
    Instant until() {
        return until;
    }

    /** The lane's publish was accepted: the next back-off starts from the first step again. */
    void accepted() {
        failures = 0;
    }

    /**
     * A publish of the lane was rejected under {@code rule} ({@code PAUSE} or {@code BACK_OFF}) and kept: pauses the
     * lane accordingly; {@code what} is the rejection as logged.
     */
    void rejected(PubackReason.Rule rule, Instant now, String what) {
        switch (rule) {
            case PAUSE -> {
                until = now.plus(notAuthorizedPause);
                Logger.error("{}: kept; {} paused for {} s (check the IoT policy)", what, lane,
                        notAuthorizedPause.toSeconds());
            }
            case BACK_OFF -> backOff(now, what);
            default -> throw new IllegalArgumentException("no pause for rule " + rule);
        }
    }

    /** Pauses the lane for the next step of its back-off (a rejection or a failed publish, {@code why}). */
    void backOff(Instant now, String why) {
        failures++;
        Duration d = backoff.delay(failures);
        if (d.compareTo(minPause) < 0) {
            d = minPause;
        }
        Instant next = now.plus(d);
        if (next.isAfter(until)) {
            until = next;
        }
        Logger.warn("{}: kept; {} paused for {} ms", why, lane, d.toMillis());
    }
}
