package com.pettysync.agent.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.event.EventRecorder;
import com.pettysync.agent.outbox.OutboxEntry;
import com.pettysync.agent.outbox.OutboxStore;
import com.pettysync.agent.testing.MutableClock;
import com.pettysync.contract.event.EventFrame;
import com.pettysync.contract.event.EventFrameCodec;
import com.pettysync.contract.event.EventType;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.VoiceUpload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Vocal episodes to events (contract §4 type 6) and clips, by the shadow's {@code voiceUpload}. */
class EpisodeRecorderTest {
    static final long START_MS = 1_767_225_612_345L;

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.at("2026-01-01T00:05:00Z");
    final AtomicReference<VoiceUpload> upload = new AtomicReference<>(VoiceUpload.EPISODES);
    final java.util.concurrent.atomic.AtomicInteger threshold = new java.util.concurrent.atomic.AtomicInteger(60);
    OutboxStore outbox;
    VoiceClips clips;
    EpisodeRecorder recorder;

    @BeforeEach
    void open() {
        outbox = OutboxStore.open(dir, OutboxStore.Options.withCapacity(100), clock);
        clips = VoiceClips.open(dir, outbox, VoiceClips.DEFAULT_QUOTA_BYTES, clock);
        recorder = new EpisodeRecorder(clips, new EventRecorder(outbox, clock, () -> { }),
                () -> CollarConfig.DEFAULTS.withVoiceUpload(upload.get()).withVoiceConfidenceBelow(threshold.get()));
    }

    @AfterEach
    void close() {
        outbox.close();
    }

    static Episode episode(int vocalClass, int conf) {
        return new Episode(START_MS, vocalClass, conf, START_MS - 500, VoiceClipsTest.audio(32_000, vocalClass));
    }

    List<EventFrame> events() {
        return outbox.pendingAfter(0, 100).stream().map(OutboxEntry::payload).map(EventFrameCodec::decode).toList();
    }

    long clipFiles() throws IOException {
        try (var s = Files.list(clips.directory())) {
            return s.count();
        }
    }

    @Test
    void withEpisodesTheClipIsStoredAndTheEventCarriesItsId() throws IOException {
        long id = recorder.record(episode(1, 83));
        assertTrue(id >= 1);
        EventFrame e = events().get(0);
        assertEquals(EventType.VOCAL_EPISODE, e.type());
        assertEquals(List.of(1L, 83L, id), e.data());
        assertEquals(START_MS / 1000, e.t(), "the episode's time, not the time it was recorded");
        assertEquals(1, clipFiles());
        assertEquals(START_MS - 500, outbox.clips(10).orElseThrow().get(0).t0Ms());
    }

    @Test
    void withVoiceUploadOffTheEventHasClipZeroAndNoFileIsWritten() throws IOException {
        upload.set(VoiceUpload.OFF);
        assertEquals(0, recorder.record(episode(0, 90)));
        assertEquals(List.of(0L, 90L, 0L), events().get(0).data());
        assertEquals(0, clipFiles());
        assertTrue(outbox.clips(10).orElseThrow().isEmpty());
        upload.set(VoiceUpload.EPISODES); // a shadow change applies to the next episode
        assertTrue(recorder.record(episode(3, 70)) >= 1);
        assertEquals(1, clipFiles());
    }

    @Test
    void aClipThatCannotBeWrittenStillGivesTheEventWithClipZero() throws IOException {
        Files.delete(clips.directory());
        Files.write(clips.directory(), new byte[1]); // writes fail, as on an I/O error
        assertEquals(0, recorder.record(episode(2, 60)));
        List<EventFrame> ev = events();
        assertEquals(1, ev.size());
        assertEquals(List.of(2L, 60L, 0L), ev.get(0).data());
        assertEquals(1, clips.status().writeFailures());
        assertFalse(Files.isDirectory(clips.directory()));
    }

    @Test
    void withUncertainOnlyTheClipsTheClassifierIsUnsureOfAreStored() throws IOException {
        upload.set(VoiceUpload.UNCERTAIN);
        threshold.set(60);
        assertEquals(0, recorder.record(episode(0, 91)), "a confident bark stays on the collar");
        long unsure = recorder.record(episode(2, 41));
        assertTrue(unsure >= 1, "an unsure whine is uploaded");
        assertEquals(0, recorder.record(episode(1, 60)), "at the threshold: not below it");
        assertEquals(List.of(List.of(0L, 91L, 0L), List.of(2L, 41L, unsure), List.of(1L, 60L, 0L)), events().stream()
                .map(EventFrame::data).toList(), "every episode still gives its event");
        assertEquals(1, clipFiles());
        EpisodeRecorder.Status s = recorder.status();
        assertEquals(1, s.stored());
        assertEquals(2, s.confident());
        assertTrue(s.lastDecision().contains("confidence 60 % >= voiceConfidenceBelow 60"), s.lastDecision());
        threshold.set(95); // the shadow moves the threshold: the next episode follows it
        assertTrue(recorder.record(episode(0, 91)) >= 1);
        assertEquals(2, clipFiles());
    }
}
