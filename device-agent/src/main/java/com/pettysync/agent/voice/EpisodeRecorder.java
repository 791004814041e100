package com.pettysync.agent.voice;

import com.pettysync.agent.event.EventRecorder;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.VoiceUpload;
import java.util.Objects;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Turns each vocal episode into the vocal-episode event (contract §4 type 6: {@code [class, conf_pct, clip_id]})
 * and, when the shadow says its clip goes to the cloud ({@link CollarConfig#uploadsClip}: {@code voiceUpload}
 * {@code episodes}, or {@code uncertain} with the episode's confidence below {@code voiceConfidenceBelow}), into a
 * stored clip first.
 *
 * <p>Guarantee: the event is recorded for every episode, whatever happens to the clip. Its {@code clip_id} is the
 * stored clip's id, or 0 when the setting keeps the clip on the collar (no file is written) or the clip could not be
 * stored ({@link VoiceClips} counts why). Its {@code t} is the episode's start (Unix s). Nothing here throws. The
 * last gating decision and the counts per outcome are in {@link #status()} (the status file's {@code voice.gate}).
 */
public final class EpisodeRecorder {
    /**
     * The last decision and the counts.
     *
     * @param stored       clips stored for upload
     * @param confident    clips kept off the uplink by {@code uncertain} (the classifier was sure enough)
     * @param off          clips kept off the uplink by {@code off}
     * @param lastDecision the last episode's decision in words (null before the first)
     */
    public record Status(long stored, long confident, long off, String lastDecision) {
    }

    private final VoiceClips clips;
    private final EventRecorder events;
    private final Supplier<CollarConfig> settings;
    private long stored;
    private long confident;
    private long off;
    private String lastDecision;

    /**
     * @param clips    the clip store
     * @param events   where the event goes (the outbox)
     * @param settings the shadow settings in force (read at each episode, so a change applies at once)
     */
    public EpisodeRecorder(VoiceClips clips, EventRecorder events, Supplier<CollarConfig> settings) {
        this.clips = Objects.requireNonNull(clips);
        this.events = Objects.requireNonNull(events);
        this.settings = Objects.requireNonNull(settings);
    }

    /** Records {@code e}; returns the clip id in its event (0: no clip). */
    public long record(Episode e) {
        long clipId = 0;
        int conf = Math.max(0, Math.min(100, e.confPct()));
        try {
            CollarConfig c = settings.get();
            boolean upload = c.uploadsClip(conf);
            decided(c, conf, upload);
            if (upload && e.clip() != null && e.clip().length > 0) {
                clipId = clips.store(e.clipStartMs(), e.vocalClass(), e.confPct(), e.clip());
            }
        } catch (RuntimeException x) {
            Logger.error(x, "voice clip not stored");
            clipId = 0;
        }
        events.record(Math.max(0, Math.floorDiv(e.startMs(), 1000L)), EventType.VOCAL_EPISODE, e.vocalClass(),
                conf, clipId);
        return clipId;
    }

    private synchronized void decided(CollarConfig c, int conf, boolean upload) {
        String mode = c.voiceUpload().jsonName();
        if (upload) {
            stored++;
        } else if (c.voiceUpload() == VoiceUpload.OFF) {
            off++;
        } else {
            confident++;
        }
        lastDecision = switch (c.voiceUpload()) {
            case OFF -> "kept on the collar: voiceUpload off";
            case EPISODES -> "uploaded: voiceUpload episodes";
            case UNCERTAIN -> (upload ? "uploaded" : "kept on the collar") + ": confidence " + conf + " % "
                    + (upload ? "<" : ">=") + " voiceConfidenceBelow " + c.voiceConfidenceBelow() + " (" + mode + ")";
        };
    }

    /** The counts and the last decision. */
    public synchronized Status status() {
        return new Status(stored, confident, off, lastDecision);
    }
}
