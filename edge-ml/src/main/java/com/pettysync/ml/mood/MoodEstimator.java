package com.pettysync.ml.mood;

import com.pettysync.ml.activity.ActivitySummary;
import com.pettysync.ml.hr.HeartRateSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Explainable mood pre-inference for one window from vocal episodes, heart rate relative to the dog's resting
 * baseline, and activity. It gates voice uploads and summarises; the cloud model has the last word.
 *
 * <p>Each mood gets a score; every rule adds evidence and records why. Why each input moves the estimate:
 * <ul>
 *   <li><b>Rest</b> (share of the window at rest) supports <i>relaxed</i>: a dog lying still with a normal
 *       heart rate is the commonest calm state.
 *   <li><b>Play and walk</b> support <i>happy</i>: play is the clearest positive behaviour a collar can see.
 *       Barks during play are read as play barks and add to <i>happy</i>.
 *   <li><b>Growls</b> support <i>angry</i> (threat/defence vocalisation); barks together with growls add to it.
 *   <li><b>Whines</b> support <i>anxious</i> (distress/solicitation); barks while at rest (alarm barking with no
 *       play) also add to anxious.
 *   <li><b>Howls</b> support <i>sad</i> (separation), as do whines from a dog that barely moves.
 *   <li><b>Heart rate above the resting baseline while resting</b> (more than 15 %) is arousal without
 *       exercise: it adds to anxious and angry and takes from relaxed. A raised rate during activity is
 *       explained by the exercise and moves nothing. A rate below baseline at rest adds to relaxed.
 * </ul>
 * Confidence is the winning score's share of all scores, shrunk towards 20 % (five-way chance) when little
 * evidence is available (no heart rate, no activity, no vocalisation). Stateless, thread-safe.
 */
public final class MoodEstimator {

    public MoodEstimate estimate(VocalCounts vocal, Optional<HeartRateSummary> hr, OptionalDouble baselineBpm,
            Optional<ActivitySummary> activity) {
        double[] score = new double[Mood.values().length];
        List<String> why = new ArrayList<>();
        double evidence = 0;
        double rest = 0.5;
        double play = 0;
        double walk = 0;
        if (activity.isPresent()) {
            ActivitySummary a = activity.get();
            double total = Math.max(1, a.restS() + a.activeS());
            rest = a.restS() / total;
            play = a.playS() / total;
            walk = (a.walkS() + a.runS()) / total;
            add(score, Mood.RELAXED, 2.0 * rest, why, "resting " + pct(rest) + " of the window");
            add(score, Mood.HAPPY, 2.5 * play + 1.0 * walk, why,
                    "playing " + pct(play) + ", walking/running " + pct(walk));
            evidence += 1;
        } else {
            score[Mood.RELAXED.ordinal()] += 0.5; // prior: most windows are calm
        }
        if (vocal.total() > 0) {
            evidence += Math.min(1.5, 0.5 * vocal.total());
        }
        add(score, Mood.ANGRY, 0.8 * Math.min(4, vocal.growls()), why, vocal.growls() + " growl episode(s)");
        if (vocal.growls() > 0) {
            add(score, Mood.ANGRY, 0.3 * Math.min(4, vocal.barks()), why, "barking together with growls");
        }
        add(score, Mood.ANXIOUS, 0.7 * Math.min(4, vocal.whines()), why, vocal.whines() + " whine episode(s)");
        add(score, Mood.SAD, 0.9 * Math.min(4, vocal.howls()), why, vocal.howls() + " howl episode(s)");
        if (rest > 0.8) {
            add(score, Mood.SAD, 0.3 * Math.min(4, vocal.whines()), why, "whining while barely moving");
        }
        if (play > 0.2) {
            add(score, Mood.HAPPY, 0.3 * Math.min(5, vocal.barks()), why, "barking during play");
        } else if (vocal.growls() == 0) {
            add(score, Mood.ANXIOUS, 0.4 * Math.min(5, vocal.barks()), why, "barking without play");
        }
        if (hr.isPresent() && baselineBpm.isPresent() && hr.get().qualityPct() >= 30) {
            double rel = (hr.get().meanBpm() - baselineBpm.getAsDouble()) / baselineBpm.getAsDouble();
            evidence += 1;
            if (rest > 0.6 && rel > 0.15) {
                double arousal = Math.min(2.0, (rel - 0.15) * 6);
                add(score, Mood.ANXIOUS, arousal, why, "heart rate " + pct(rel) + " above baseline while resting");
                add(score, Mood.ANGRY, 0.5 * arousal * (vocal.growls() > 0 ? 2 : 0.5), why,
                        "arousal at rest" + (vocal.growls() > 0 ? " with growls" : ""));
                add(score, Mood.RELAXED, -Math.min(score[Mood.RELAXED.ordinal()], arousal), why,
                        "raised heart rate is not relaxed");
            } else if (rest > 0.6 && rel < -0.05) {
                add(score, Mood.RELAXED, 0.5, why, "heart rate below resting baseline");
            }
        }
        int best = 0;
        double sum = 0;
        for (int m = 0; m < score.length; m++) {
            score[m] = Math.max(0, score[m]);
            sum += score[m];
            if (score[m] > score[best]) {
                best = m;
            }
        }
        double share = sum == 0 ? 0.2 : score[best] / sum;
        double certainty = Math.min(1.0, evidence / 2.0);
        int conf = (int) Math.round(100 * (0.2 + (share - 0.2) * certainty));
        return new MoodEstimate(Mood.values()[best], Math.max(0, Math.min(100, conf)), why);
    }

    private static void add(double[] score, Mood mood, double amount, List<String> why, String reason) {
        if (amount != 0) {
            score[mood.ordinal()] += amount;
            why.add(mood.label() + (amount > 0 ? " +" : " ") + String.format(java.util.Locale.ROOT, "%.2f", amount)
                    + ": " + reason);
        }
    }

    private static String pct(double f) {
        return Math.round(100 * f) + " %";
    }
}
