package com.pettysync.agent.sensing;

import com.pettysync.agent.raw.RawSamples;
import com.pettysync.agent.voice.Episode;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.drivers.SensorStatus;
import com.pettysync.drivers.position.GnssPowerMode;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything the agent needs from a collar's sensing, whichever parts are behind it: the real parts
 * ({@link HardwareWindowSource}), the twins ({@link TwinWindowSource}), or a source of synthetic window summaries
 * for tests ({@link #windowsOnly}). The agent talks to this interface only; what a source cannot do is a no-op
 * default here, never an {@code instanceof} in the agent. {@link Sensing#open} picks the source.
 */
public interface CollarSource extends WindowInputs.Source, Episode.Source, RawSamples.Source, AutoCloseable {

    /** Where observations go the moment they are made (the event rules). */
    default void observe(Observations observations) {
    }

    @Override
    default void onEpisode(Consumer<Episode> sink) {
    }

    /** Current status of each sensor by name (empty before the first poll); a copy. */
    default Map<String, SensorStatus> statuses() {
        return Map.of();
    }

    /** The receiver mode the agent wants (the shadow's {@code gpsMode}, or {@code live} in lost mode). */
    default void gnssMode(GnssPowerMode mode) {
    }

    /** The receiver's mode in force and whether the receiver confirmed it; {@link GnssState#NONE} without one. */
    default GnssState gnss() {
        return GnssState.NONE;
    }

    /** Whether a GNSS fix arrived in the last minute (the {@code clock_gnss} flag). */
    default boolean gnssTimeValid() {
        return false;
    }

    /** The vocalisation classifier's state (absent on a board without TFLite natives). */
    default ClassifierState classifier() {
        return ClassifierState.NONE;
    }

    /**
     * The last window's mood estimate and what it was made of (vocal counts, heart rate against the baseline,
     * activity), as a JSON object for the status file; null before the first window or without a mood pipeline.
     */
    default com.fasterxml.jackson.databind.node.ObjectNode moodInputs() {
        return null;
    }

    /** Raw samples for a raw capture (contract §9) go to {@code sink} from now on; a source without any ignores it. */
    @Override
    default void onRawSamples(RawSamples.Sink sink) {
    }

    @Override
    default void close() {
    }

    /** A source of window summaries only: no observations, no receiver, no episodes (tests, soak runs). */
    static CollarSource windowsOnly(WindowInputs.Source windows) {
        return new CollarSource() {
            @Override
            public WindowInputs collect(long t0, int dur) {
                return windows.collect(t0, dur);
            }

            @Override
            public long modelVersion() {
                return windows.modelVersion();
            }
        };
    }

    /**
     * The receiver's state.
     *
     * @param wanted    the mode the agent asked for (null: none asked yet)
     * @param inForce   the mode last sent to the receiver (null: none sent yet)
     * @param confirmed the receiver acknowledged {@code inForce} (UBX-ACK-ACK)
     * @param resends   commands sent again because no acknowledgement came
     */
    record GnssState(GnssPowerMode wanted, GnssPowerMode inForce, boolean confirmed, long resends) {
        public static final GnssState NONE = new GnssState(null, null, false, 0);
    }

    /**
     * The vocalisation classifier: present (with its model version) or absent, and why.
     *
     * @param present      a TFLite model is loaded
     * @param modelVersion the model's version (frame {@code fw.model}); 0 when absent
     * @param whyAbsent    null when present
     */
    record ClassifierState(boolean present, long modelVersion, String whyAbsent) {
        public static final ClassifierState NONE = new ClassifierState(false, 0, "no microphone pipeline in this source");
    }
}
