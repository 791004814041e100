package com.pettysync.simulator.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.simulator.cloud.archive.ArchiveStore;
import com.pettysync.simulator.cloud.archive.DayArchiver;
import com.pettysync.simulator.cloud.archive.SqliteHotStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pettysync cloud archive}: moves completed days from the frame store to the archive ("Dumper #2"). */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Move the stored frames of completed UTC days from the local cloud's frame store to the "
                + "archive: one folder per collar per day, {thing}/{YYYYMMDD}/telemetry.jsonl.gz, events.jsonl.gz, "
                + "voice/, manifest.json (cloud-contract README, 'Archive layout'). Rows are deleted from the store "
                + "only after their objects were written and read back (SHA-256). Safe to re-run and to run beside "
                + "a running 'pettysync cloud'.",
                "A day is complete 10 minutes after it ends (UTC)."})
final class CloudArchiveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveOptions options;

    @Option(names = "--to", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "the archive (default: DIR/archive of --dir)")
    String to;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "archive only this day")
    String day;

    @Option(names = "--until", paramLabel = "YYYY-MM-DD", description = "archive every day up to and including this")
    String until;

    @Override
    public Integer call() throws Exception {
        if (day != null && until != null) {
            throw new BadInputException("give --day or --until, not both");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (SqliteHotStore hot = SqliteHotStore.open(options.frames());
                ArchiveStore archive = options.open(to == null ? options.defaultArchive() : to)) {
            DayArchiver archiver = new DayArchiver(hot, archive, Clock.systemUTC());
            long start = System.nanoTime();
            DayArchiver.Result r;
            try {
                r = day != null ? archiver.archiveDay(ArchiveOptions.day("--day", day))
                        : until != null ? archiver.archiveUntil(ArchiveOptions.day("--until", until))
                        : archiver.archiveCompleted();
            } catch (IllegalArgumentException notComplete) {
                throw new BadInputException(notComplete.getMessage());
            }
            double s = (System.nanoTime() - start) / 1e9;
            out.println(summary(r, archive.location(), s));
        }
        return 0;
    }

    static String summary(DayArchiver.Result r, String location, double seconds) {
        return String.format(Locale.ROOT, "archived %d collar-days (%d written, %d already complete): %d frames, %d "
                + "events, %d clips, %d raw chunks, %,d bytes -> %s in %.2f s (%.0f collar-days/s)", r.collarDays(),
                r.written(), r.unchanged(), r.frames(), r.events(), r.clips(), r.rawChunks(), r.bytesWritten(), location, seconds,
                seconds > 0 ? r.collarDays() / seconds : 0.0);
    }
}
