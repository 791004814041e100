package com.pettysync.simulator.bench;

import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.telemetry.Activity;
import com.pettysync.contract.telemetry.DeviceStatus;
import com.pettysync.contract.telemetry.HeartRate;
import com.pettysync.contract.telemetry.Mood;
import com.pettysync.contract.telemetry.MoodClass;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.simulator.cloud.archive.DayArchiver;
import com.pettysync.simulator.cloud.archive.DirectoryArchiveStore;
import com.pettysync.simulator.cloud.archive.HotStore.CollarDay;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import com.pettysync.simulator.cloud.delivery.DeliveryReport;
import com.pettysync.simulator.cloud.delivery.DeliveryReportPage;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The data path after ingest at fleet size: a synthetic hot store of COLLARS collars × one day at 300 s windows (the
 * sink's schema; rows written straight into SQLite, 288 frames per collar, 5 % of the collars with a 30-window hole,
 * 2 % delivering their last 20 windows late), then the delivery report over it (JSON + HTML), then the archive of
 * ARCHIVE collar-days to a directory with THREADS workers. One JSON line out.
 *
 * <pre>sh simulator/src/bench/datapath.sh 28000 2000 4</pre>
 */
public final class DataPathBench {
    public static void main(String[] args) throws Exception {
        int collars = args.length > 0 ? Integer.parseInt(args[0]) : 28_000;
        int archiveCollars = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        LocalDate day = LocalDate.parse("2026-06-01");
        long start = day.toEpochDay() * 86_400L;
        Path dir = Files.createTempDirectory("pettysync-datapath-");
        Path db = dir.resolve("frames.db");
        IngestSink.open(db, Clock.systemUTC()).close();

        long t = System.nanoTime();
        long rows = 0;
        Random rnd = new Random(42);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("PRAGMA synchronous=OFF");
            c.setAutoCommit(false);
            try (PreparedStatement ins = c.prepareStatement(
                    "INSERT INTO telemetry(thing, seq, t0, received_at, frame, json) VALUES (?,?,?,?,?,?)")) {
                for (int k = 0; k < collars; k++) {
                    String thing = String.format(Locale.ROOT, "collar-%06d", k);
                    for (int i = 0; i < 288; i++) {
                        if (k % 20 == 0 && i >= 100 && i < 130) {
                            continue;
                        }
                        long t0 = start + i * 300L;
                        boolean late = k % 50 == 1 && i >= 268;
                        TelemetrySummary s = TelemetrySummary.of(i, t0, 300)
                                .withHr(new HeartRate(80 + rnd.nextInt(20), 70, 130, 40, 90))
                                .withAct(new Activity(rnd.nextInt(500), 200, 80, 10, 10, 1800))
                                .withMood(new Mood(MoodClass.HAPPY, 70, rnd.nextInt(3), 0, 0, 0))
                                .withDev(new DeviceStatus(90 - i / 4, 3900, 300, -70, 0,
                                        EnumSet.noneOf(DeviceStatus.Flag.class)));
                        ins.setString(1, thing);
                        ins.setLong(2, i);
                        ins.setLong(3, t0);
                        ins.setLong(4, (late ? t0 + 86_400 : t0 + 330) * 1000);
                        ins.setBytes(5, TelemetryFrameCodec.encode(s));
                        ins.setString(6, ContractJson.toJson(s));
                        ins.addBatch();
                        if (++rows % 50_000 == 0) {
                            ins.executeBatch();
                            c.commit();
                        }
                    }
                }
                ins.executeBatch();
                c.commit();
            }
        }
        double genS = (System.nanoTime() - t) / 1e9;

        t = System.nanoTime();
        DeliveryReport report;
        try (SqliteHotStore hot = SqliteHotStore.open(db)) {
            report = DeliveryReport.build(day, hot, null, List.of(), Instant.now());
        }
        String json = report.toJson().toString();
        String html = DeliveryReportPage.render(report);
        double reportS = (System.nanoTime() - t) / 1e9;

        t = System.nanoTime();
        DayArchiver.Result r;
        try (SqliteHotStore hot = SqliteHotStore.open(db);
                DirectoryArchiveStore archive = new DirectoryArchiveStore(dir.resolve("archive"))) {
            List<CollarDay> keys = hot.collarDaysBefore(day.plusDays(1)).subList(0, Math.min(archiveCollars,
                    collars));
            r = new DayArchiver(hot, archive, Clock.systemUTC(), threads).archiveAll(keys);
        }
        double archiveS = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "{\"collars\":%d,\"frames\":%d,\"generate_s\":%.1f,\"report_s\":%.2f,"
                + "\"report_json_bytes\":%d,\"report_html_bytes\":%d,\"missing\":%d,\"late\":%d,"
                + "\"archived_collar_days\":%d,\"archive_threads\":%d,\"archive_s\":%.2f,"
                + "\"collar_days_per_s\":%.1f,\"archive_bytes\":%d,\"archive_bytes_per_frame\":%.1f}%n", collars, rows,
                genS, reportS, json.length(), html.length(), report.sum(tl -> tl.missing()),
                report.sum(tl -> tl.late()), r.collarDays(), threads, archiveS, r.collarDays() / archiveS,
                r.bytesWritten(), (double) r.bytesWritten() / r.frames());
    }
}
