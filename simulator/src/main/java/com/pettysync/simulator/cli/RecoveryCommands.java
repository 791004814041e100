package com.pettysync.simulator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.CommandContribution;
import com.pettysync.contract.bundle.RecoveryBundle;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.simulator.cloud.ingest.BundleImport;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync cloud import FILE}: ingests a collar's recovery bundle into the local cloud's frame store.
 *
 * <p>Prints one JSON line {@code {"thing","sha256","records","stored":{…},"duplicates":{…},"invalid":{…}}}; exit 0.
 * A bundle that is corrupt, truncated or not a bundle: one line on stderr, exit 2, nothing stored.
 */
public final class RecoveryCommands implements CommandContribution {
    @Override
    public List<String> parent() {
        return List.of("cloud");
    }

    @Override
    public List<Object> commands() {
        return List.of(new Import());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Ingest a recovery bundle (pettysync agent export) into the frame store: the same "
                    + "validator and de-duplication as live traffic, all or nothing.",
                "Prints what was stored, what had already arrived (duplicates) and what broke the contract."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the bundle")
        Path file;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = CloudCommand.DEFAULT_DIR,
                description = "state directory of the local cloud (its frames.db); default: ${DEFAULT-VALUE}")
        Path dir;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw new BadInputException(file + ": no such file");
            }
            BundleImport.Result r;
            try (IngestSink sink = IngestSink.open(dir.resolve("frames.db"), Clock.systemUTC())) {
                r = BundleImport.run(sink, file);
            } catch (RecoveryBundle.BundleException e) {
                throw new BadInputException(file + ": " + e.getMessage() + "; nothing was stored", e);
            }
            ObjectNode o = JsonTrees.object();
            o.put("thing", r.thing()).put("sha256", r.sha256()).put("records", r.records());
            put(o.putObject("stored"), r.stored());
            put(o.putObject("duplicates"), r.duplicates());
            put(o.putObject("invalid"), r.invalid());
            PrintWriter out = spec.commandLine().getOut();
            out.println(JsonTrees.string(o));
            out.flush();
            return 0;
        }

        private static void put(ObjectNode o, Map<Stream, Long> m) {
            for (Stream s : Stream.values()) {
                o.put(s.name().toLowerCase(Locale.ROOT), m.getOrDefault(s, 0L));
            }
        }
    }
}
