package com.pettysync.simulator.cloud.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.archive.ArchiveLayout;
import com.pettysync.simulator.cloud.archive.ArchiveStore;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gathers the archive's joined voice clips into a labelled training set, the input of the vocalisation model's
 * retraining ({@code edge-ml/training/dataset.py} reads it):
 *
 * <pre>
 * OUT/labels.csv      file,thing,time,t0_ms,duration_ms,label,conf_pct,mood,mood_conf_pct,corrected
 * OUT/clips/{thing}_{clip_id}.wav   16 kHz mono PCM s16le, as archived
 * </pre>
 * {@code label} is the collar's on-device class (bark, growl, whine, howl) and {@code conf_pct} its confidence;
 * {@code mood} the window's on-device mood; {@code corrected} is empty, for the cloud's users to fill with the true
 * class (the training reads it before {@code label}). Rows are in archive key order (thing, day, clip id). Writing is
 * per file: each WAV and labels.csv are written beside their name and renamed into place, labels.csv last.
 */
public final class TrainingSet {
    public static final String HEADER = "file,thing,time,t0_ms,duration_ms,label,conf_pct,mood,mood_conf_pct,corrected";
    private static final Pattern SIDECAR = Pattern.compile("([^/]+)/(\\d{8})/voice/(\\d+)\\.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingSet() {}

    /** Clips of days {@code since} … {@code until} (inclusive; {@code until} null = no end) into {@code out}. */
    public static int gather(ArchiveStore archive, LocalDate since, LocalDate until, Path out) throws IOException {
        Path clips = out.resolve("clips");
        Files.createDirectories(clips);
        List<String> rows = new ArrayList<>();
        for (String key : archive.list("")) {
            Matcher m = SIDECAR.matcher(key);
            if (!m.matches()) {
                continue;
            }
            LocalDate day;
            try {
                day = ArchiveLayout.parseDay(m.group(2));
            } catch (DateTimeParseException e) {
                continue;
            }
            if (day.isBefore(since) || (until != null && day.isAfter(until))) {
                continue;
            }
            String thing = m.group(1);
            long clipId = Long.parseLong(m.group(3));
            JsonNode meta = JSON.readTree(archive.get(key).orElseThrow(() -> new IOException(key + " vanished")));
            byte[] wav = archive.get(ArchiveLayout.clipWav(thing, day, clipId)).orElseThrow(
                    () -> new IOException("sidecar " + key + " has no WAV beside it"));
            String file = "clips/" + thing + "_" + clipId + ".wav";
            Path tmp = out.resolve(file + ".partial");
            Files.write(tmp, wav);
            Files.move(tmp, out.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            rows.add(String.join(",", file, thing, meta.path("time").asText(), meta.path("t0_ms").asText(),
                    meta.path("duration_ms").asText(), meta.path("class").asText(), meta.path("conf_pct").asText(),
                    meta.at("/mood/mood").asText(""), meta.at("/mood/conf_pct").asText(""), ""));
        }
        Path tmp = out.resolve("labels.csv.partial");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(HEADER + "\n");
            for (String r : rows) {
                w.write(r + "\n");
            }
        }
        Files.move(tmp, out.resolve("labels.csv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return rows.size();
    }
}
