package com.pettysync.simulator.cli;

import com.pettysync.simulator.cloud.archive.ArchiveStore;
import com.pettysync.simulator.cloud.dataset.TrainingSet;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pettysync cloud dataset}: the archive's voice clips as a labelled training set. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = {"Gather the archive's joined voice clips (16 kHz mono WAV + sidecar) of the given days into a "
                + "labelled training set: OUT/labels.csv (file,thing,time,t0_ms,duration_ms,label,conf_pct,mood,"
                + "mood_conf_pct,corrected) and OUT/clips/*.wav, the layout edge-ml/training/dataset.py reads. "
                + "'corrected' is left empty for reviewers to fill."})
final class CloudDatasetCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ArchiveOptions options;

    @Option(names = "--since", paramLabel = "YYYY-MM-DD", required = true, description = "first day (UTC)")
    String since;

    @Option(names = "--until", paramLabel = "YYYY-MM-DD", description = "last day (UTC, inclusive; default: all)")
    String until;

    @Option(names = "--from", paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "the archive (default: DIR/archive of --dir)")
    String from;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the set goes")
    Path out;

    @Override
    public Integer call() throws Exception {
        LocalDate first = ArchiveOptions.day("--since", since);
        LocalDate last = until == null ? null : ArchiveOptions.day("--until", until);
        try (ArchiveStore archive = options.open(from == null ? options.defaultArchive() : from)) {
            int n = TrainingSet.gather(archive, first, last, out);
            spec.commandLine().getOut().println(n + " clips from " + archive.location() + " -> "
                    + out.resolve("labels.csv").toAbsolutePath());
        }
        return 0;
    }
}
