package com.pettysync.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pettysync.simulator.cloud.archive.ArchiveStore;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import com.pettysync.simulator.cloud.delivery.DeliveryReport;
import com.pettysync.simulator.cloud.delivery.DeliveryReportPage;
import com.pettysync.simulator.cloud.delivery.DeliveryTally;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pettysync cloud report --day D}: which collars did not deliver that day, and why. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"The daily delivery report: per collar, frames expected at its window length vs received, "
                + "seq gaps, late arrivals, duplicates dropped, outbox_dropped flags, battery low/high, events by "
                + "type, voice clips joined; fleet totals first, the worst collars first. Reads the frame store and, "
                + "for days already archived, the archive's manifests. Writes JSON (--json) and optionally a "
                + "self-contained HTML page (--html); prints a summary and the ten worst collars."})
final class CloudReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveOptions options;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", required = true, description = "the UTC day to report")
    String day;

    @Option(names = "--archive", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "the archive holding days already moved (default: DIR/archive of --dir when it exists)")
    String archive;

    @Option(names = "--json", paramLabel = "FILE", description = "where the JSON goes (default: "
            + "delivery-YYYY-MM-DD.json in the current directory)")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "also write the report as one HTML page")
    Path html;

    @Override
    public Integer call() throws Exception {
        LocalDate d = ArchiveOptions.day("--day", day);
        PrintWriter out = spec.commandLine().getOut();
        String archiveTarget = archive != null ? archive
                : Files.isDirectory(Path.of(options.defaultArchive())) ? options.defaultArchive() : null;
        long start = System.nanoTime();
        DeliveryReport report;
        try (SqliteHotStore hot = SqliteHotStore.open(options.frames());
                ArchiveStore store = archiveTarget == null ? null : options.open(archiveTarget)) {
            report = DeliveryReport.build(d, hot, store, registeredThings(options.dir.resolve("registry.db")),
                    Instant.now());
        }
        double s = (System.nanoTime() - start) / 1e9;
        Path jsonFile = json != null ? json : Path.of("delivery-" + d + ".json");
        Files.writeString(jsonFile, new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(report.toJson()) + "\n", StandardCharsets.UTF_8);
        if (html != null) {
            Files.writeString(html, DeliveryReportPage.render(report), StandardCharsets.UTF_8);
        }
        long expected = report.sum(DeliveryTally::expected);
        out.printf(Locale.ROOT, "delivery %s: %d collars, %d complete, %d silent; %,d of %,d frames (%.1f %%), %,d "
                + "missing, %,d late, %,d duplicates dropped, %,d outbox-dropped flags (built in %.2f s)%n", d,
                report.collars().size(), report.complete(), report.silent(), report.sum(DeliveryTally::received),
                expected, expected == 0 ? 0.0 : 100.0 * report.sum(DeliveryTally::received) / expected,
                report.sum(DeliveryTally::missing), report.sum(DeliveryTally::late),
                report.sum(DeliveryTally::duplicates), report.sum(DeliveryTally::outboxDropped), s);
        report.collars().stream().filter(t -> !t.reasons().isEmpty()).limit(10).forEach(t ->
                out.printf(Locale.ROOT, "  %-20s %4d/%-4d %s%n", t.thing(), t.received(), t.expected(),
                        String.join("; ", t.reasons())));
        out.println("report: " + jsonFile.toAbsolutePath() + (html == null ? "" : " and " + html.toAbsolutePath()));
        return 0;
    }

    /** Thing names of the local cloud's registry (none when it has no registry file). */
    static List<String> registeredThings(Path registry) throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isRegularFile(registry)) {
            return names;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + registry.toAbsolutePath());
                Statement st = c.createStatement();
                ResultSet r = st.executeQuery("SELECT name FROM things")) {
            while (r.next()) {
                names.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IOException("cannot read the things of " + registry + ": " + e.getMessage(), e);
        }
        return names;
    }
}
