package com.pettysync.agent.voice;

import com.pettysync.agent.event.EventRecorder;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.shadow.VoiceUpload;
import java.util.Objects;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Turns each vocal episode into the vocal-episode event (contract §4 type 6: {@code [class, conf_pct, clip_id]})
 * and, when the shadow's {@code voiceUpload} is {@code episodes}, into a stored clip first.
 *
 * <p>Guarantee: the event is recorded for every episode, whatever happens to the clip. Its {@code clip_id} is the
 * stored clip's id, or 0 when {@code voiceUpload} is {@code off} (no file is written) or the clip could not be
 * stored ({@link VoiceClips} counts why). Its {@code t} is the episode's start (Unix s). Nothing here throws.
 */
public final class EpisodeRecorder {
    private final VoiceClips clips;
    private final EventRecorder events;
    private final Supplier<VoiceUpload> upload;

    /**
     * @param clips  the clip store
     * @param events where the event goes (the outbox)
     * @param upload the {@code voiceUpload} setting in force (read at each episode, so a shadow change applies at
     *               once)
     */
    public EpisodeRecorder(VoiceClips clips, EventRecorder events, Supplier<VoiceUpload> upload) {
        this.clips = Objects.requireNonNull(clips);
        this.events = Objects.requireNonNull(events);
        this.upload = Objects.requireNonNull(upload);
    }

    /** Records {@code e}; returns the clip id in its event (0: no clip). */
    public long record(Episode e) {
        long clipId = 0;
        try {
            if (upload.get() == VoiceUpload.EPISODES && e.clip() != null && e.clip().length > 0) {
                clipId = clips.store(e.clipStartMs(), e.vocalClass(), e.confPct(), e.clip());
            }
        } catch (RuntimeException x) {
            Logger.error(x, "voice clip not stored");
            clipId = 0;
        }
        events.record(Math.max(0, Math.floorDiv(e.startMs(), 1000L)), EventType.VOCAL_EPISODE, e.vocalClass(),
                Math.max(0, Math.min(100, e.confPct())), clipId);
        return clipId;
    }
}
