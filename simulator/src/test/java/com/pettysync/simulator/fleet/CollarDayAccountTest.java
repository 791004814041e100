package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.agent.voice.Episode;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.shadow.GpsMode;
import com.pettysync.drivers.twin.DogBehaviourModel;
import com.pettysync.drivers.twin.Vocalization;
import com.pettysync.ml.vocal.VocalizationClassifier;
import com.pettysync.simulator.report.FleetReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fleet's per-collar-day figures: clip bytes per {@code voiceUpload} mode from the episodes seeded twin collars'
 * pipelines (twins → drivers → edge-ml with the TFLite classifier) find, judged by the contract's rule; and the
 * distribution of the energy account over collars, which follows the collars' counters and their {@code gpsMode}.
 */
class CollarDayAccountTest {
    static final int DUR = 60;

    /** The window in which the seeded dog first vocalises after {@code from}. */
    static long firstVocalWindow(DogBehaviourModel dog, long from) {
        for (long t = from; t < from + 7 * 86_400; t += 5) {
            if (dog.stateAt(Instant.ofEpochSecond(t)).vocalization() != Vocalization.NONE) {
                return t - Math.floorMod(t, DUR);
            }
        }
        throw new AssertionError("the model's dog never vocalises");
    }

    /**
     * The bundled classifier is sure of the twins' synthetic barks (confidence 96–100 on these seeds, depending on the
     * model version), so the threshold here is 100 (upload all but the fully certain): the default 60 would upload
     * none of them, which {@code uncertain} at 60 then reports as 0 bytes.
     */
    @Test
    void uncertainUploadsExactlyTheEpisodesBelowTheThresholdAndSitsBetweenOffAndEpisodes() {
        int below = 100;
        List<CollarDayAccount> accounts = new ArrayList<>();
        List<Episode> all = new ArrayList<>();
        long from = Instant.parse("2026-06-01T07:00:00Z").getEpochSecond();
        try (VocalizationClassifier classifier = VocalizationClassifier.bundled()) {
            for (int i = 0; i < 3; i++) {
                String thing = "collar-voice" + i;
                double lat = 52.52 + i * 0.001;
                CollarDayAccount day = new CollarDayAccount(CollarConfig.DEFAULTS.withVoiceConfidenceBelow(below), 2000);
                day.voiceSource = true;
                TwinWindowSource source = new TwinWindowSource(thing, lat, 13.405, classifier);
                source.onEpisode(e -> {
                    day.episode(e);
                    all.add(e);
                });
                long t0 = firstVocalWindow(new DogBehaviourModel(thing.hashCode(), lat, 13.405), from);
                day.sample(Instant.ofEpochSecond(t0), status(0, 0, 0, true));
                for (int w = 0; w < 2; w++) {
                    source.collect(t0 + (long) w * DUR, DUR);
                }
                day.sample(Instant.ofEpochSecond(t0 + 2L * DUR), status(2, 600, 1, true));
                source.close();
                accounts.add(day);
            }
        }
        long episodes = 0;
        long uncertain = 0;
        for (Episode e : all) {
            episodes += 2L * e.clip().length;
            uncertain += e.confPct() < below ? 2L * e.clip().length : 0;
        }
        FleetReport.CollarDay fleet = CollarDayAccount.fleet(accounts, 2 * DUR);
        System.out.println(fleet.summary() + " confidences " + all.stream().map(Episode::confPct).toList());
        assertEquals(all.size(), fleet.episodes());
        assertEquals(below, fleet.voiceConfidenceBelow());
        long up = fleet.clipsUploaded().get("uncertain");
        assertEquals(all.stream().filter(e -> e.confPct() < below).count(), up);
        assertEquals(all.size(), (long) fleet.clipsUploaded().get("episodes"));
        assertEquals(0L, (long) fleet.clipsUploaded().get("off"));
        double days = 3 * 2.0 * DUR / 86_400;
        assertEquals(episodes / days, fleet.clipBytesPerCollarDay().get("episodes"), 1e-6);
        assertEquals(uncertain / days, fleet.clipBytesPerCollarDay().get("uncertain"), 1e-6);
        assertEquals(0.0, fleet.clipBytesPerCollarDay().get("off"));
        assertTrue(0 < uncertain && uncertain < episodes, "the seeded twins give confident and unsure episodes: "
                + all.stream().map(Episode::confPct).toList());
    }

    @Test
    void theEnergyDistributionFollowsGpsModeAndEachCollarsOwnRadioCounters() {
        FleetReport.CollarDay live = day(GpsMode.LIVE);
        FleetReport.CollarDay eco = day(GpsMode.ECO);
        System.out.println(live.summary());
        System.out.println(eco.summary());
        assertTrue(live.mwhPerDay().get("gnss").p50() > eco.mwhPerDay().get("gnss").p50());
        assertTrue(live.totalMwhPerDay().p50() > eco.totalMwhPerDay().p50());
        assertTrue(live.batteryHours().p50() < eco.batteryHours().p50());
        // collar k publishes k+1 times a window: the radio's spread is the collars' own traffic
        assertTrue(live.mwhPerDay().get("radio").p10() < live.mwhPerDay().get("radio").p90());
        assertEquals(live.mwhPerDay().get("radio"), eco.mwhPerDay().get("radio"));
        assertEquals(0.0, live.mwhPerDay().get("cpu").p90(), "CPU is not measured per virtual collar");
    }

    /** Ten collars over one simulated day, a window every 300 s: collar k publishes k+1 frames of 400 bytes each. */
    private static FleetReport.CollarDay day(GpsMode mode) {
        List<CollarDayAccount> accounts = new ArrayList<>();
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        for (int k = 0; k < 10; k++) {
            CollarDayAccount a = new CollarDayAccount(CollarConfig.DEFAULTS.withGpsMode(mode), 2000);
            for (int w = 0; w <= 288; w++) {
                long n = (long) w * (k + 1);
                a.sample(start.plusSeconds(300L * w), status(n, 400 * n, 1, true));
            }
            accounts.add(a);
        }
        return CollarDayAccount.fleet(accounts, 86_400);
    }

    private static Uplink.Status status(long publishes, long bytes, long connects, boolean connected) {
        return new Uplink.Status(connected, 0, publishes, publishes, 0, 0, connects, 0, null, null, null, 0, 0,
                publishes, bytes, publishes, 40 * publishes);
    }
}
