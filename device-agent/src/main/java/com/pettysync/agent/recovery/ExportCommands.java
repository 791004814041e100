package com.pettysync.agent.recovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.CommandContribution;
import com.pettysync.contract.json.JsonTrees;
import com.pettysync.contract.topic.DataStream;
import com.pettysync.contract.topic.ThingName;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync agent export --data DIR --out FILE}: a collar's undelivered data as a recovery bundle
 * ({@link CardExport}). Prints one JSON line {@code {"thing","sha256","records",<stream>:n,…,"skipped":[…]}};
 * exit 0. No outbox in DIR, an unreadable database, an existing FILE: one line on stderr, exit 2, no bundle.
 */
public final class ExportCommands implements CommandContribution {
    @Override
    public List<String> parent() {
        return List.of("agent");
    }

    @Override
    public List<Object> commands() {
        return List.of(new Export());
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write everything a collar has not delivered (frames, events, voice clip parts, raw "
                    + "chunks) from its data directory into one checksummed bundle for 'pettysync cloud import'.",
                "Only reads DIR (works on a read-only copy of a collar's SD card)."})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--data", paramLabel = "DIR", required = true,
                description = "the collar's data directory (dataDirectory of its agent.json)")
        Path data;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "the bundle to write (new file)")
        Path out;

        @Option(names = "--thing", paramLabel = "NAME",
                description = "the collar's thing name (default: from DIR/status.json)")
        String thing;

        @Override
        public Integer call() {
            if (Files.exists(out)) {
                throw new BadInputException(out + ": exists; give a new file");
            }
            CardExport.Result r;
            try {
                r = CardExport.run(data, out, Optional.ofNullable(thing).map(ThingName::of), Clock.systemUTC());
            } catch (IOException | IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            ObjectNode o = JsonTrees.object();
            o.put("thing", r.manifest().thing().value()).put("sha256", r.manifest().sha256())
                    .put("records", r.manifest().records());
            for (DataStream s : DataStream.values()) {
                o.put(s.level(), r.manifest().counts().getOrDefault(s, 0L));
            }
            var skipped = o.putArray("skipped");
            r.skipped().forEach(skipped::add);
            PrintWriter w = spec.commandLine().getOut();
            w.println(JsonTrees.string(o));
            w.flush();
            return 0;
        }
    }
}
