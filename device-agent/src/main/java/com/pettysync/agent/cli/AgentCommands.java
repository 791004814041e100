package com.pettysync.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.AgentConfigParser;
import com.pettysync.agent.config.ConfigProblem;
import com.pettysync.agent.config.InvalidConfigException;
import com.pettysync.agent.provision.ClaimProvisioning;
import com.pettysync.agent.runtime.Agent;
import com.pettysync.agent.runtime.StatusFile;
import com.pettysync.agent.sensing.HardwareWindowSource;
import com.pettysync.agent.sensing.TwinWindowSource;
import com.pettysync.agent.window.WindowInputs;
import com.pettysync.agent.window.SystemClockProbe;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.CommandContribution;
import com.pettysync.cli.Pettysync;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Contributes {@code pettysync agent} (run the collar agent) and {@code pettysync agent status}. */
public final class AgentCommands implements CommandContribution {

    @Override
    public List<Object> commands() {
        return List.of(new AgentCommand());
    }

    /** Reads and validates a config file; every problem goes to {@code err} on its own line. */
    static AgentConfig load(Path file, PrintWriter err) {
        try {
            return new AgentConfigParser().parse(file);
        } catch (InvalidConfigException e) {
            err.println("agent: invalid configuration " + file + " (" + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + "):");
            for (ConfigProblem p : e.problems()) {
                err.println("  " + p);
            }
            err.flush();
            throw new BadInputException("refusing to start on an invalid configuration: " + file);
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true, subcommands = StatusCommand.class,
            description = {"Run the collar agent: sample, make frames, keep them in the outbox, publish them.",
                "Stops cleanly on SIGTERM (Ctrl-C): frames without PUBACK stay in the outbox."})
    static final class AgentCommand implements Callable<Integer> {
        /** Home of the simulated dog (the behaviour model walks it from here). */
        static final double HOME_LAT = 13.7563;
        static final double HOME_LON = 100.5018;
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "agent configuration (JSON); required to run")
        Path config;

        @Option(names = "--simulated", description = "run on the sensor twins (real drivers and edge-ml on a simulated dog) whatever the "
                + "configuration says")
        boolean simulated;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            if (config == null) {
                throw new BadInputException("missing --config FILE (see pettysync agent --help)");
            }
            configureLogging();
            AgentConfig c = load(config, err);
            if (c.isClaim()) {
                boolean provisioned;
                try {
                    provisioned = provisionByClaim(c);
                } catch (IOException e) {
                    // unreadable or unusable claim certificate/key/CA: nothing has started
                    throw new BadInputException("cannot start: " + e.getMessage(), e);
                }
                if (!provisioned) {
                    return 0; // stopped (SIGTERM) while provisioning: the configuration is still the claim
                }
                c = load(config, err); // the permanent configuration just committed is what runs
            }
            if (simulated) {
                c = c.withSensors(AgentConfig.Sensors.SIMULATED);
            }
            Agent agent;
            WindowInputs.Source sensors;
            java.util.function.BooleanSupplier gnssTime;
            if (c.sensors() == AgentConfig.Sensors.REAL) {
                // the collar's parts on their buses, one polling thread each -> edge-ml (TFLite loaded once here)
                HardwareWindowSource hw = HardwareWindowSource.open(c.hardware(), Clock.systemUTC());
                sensors = hw;
                gnssTime = hw::gnssTimeValid;
            } else {
                // sensor twins -> real drivers -> edge-ml (TFLite model loaded once here)
                TwinWindowSource twins = TwinWindowSource.create(c.thingName(), HOME_LAT, HOME_LON);
                sensors = twins;
                gnssTime = twins::gnssTimeValid;
            }
            try {
                agent = Agent.start(c, Clock.systemUTC(), sensors, new SystemClockProbe(gnssTime));
            } catch (IOException e) {
                close(sensors);
                // unreadable or unusable certificate/key/CA: nothing has started
                throw new BadInputException("cannot start: " + e.getMessage(), e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = Thread.ofPlatform().name("shutdown").unstarted(() -> {
                agent.close();
                close(sensors);
                stopped.countDown();
            });
            Runtime.getRuntime().addShutdownHook(hook);
            spec.commandLine().getOut().println("agent " + c.thingName() + " running; data in " + c.dataDirectory()
                    + "; stop with SIGTERM or Ctrl-C");
            spec.commandLine().getOut().flush();
            stopped.await();
            return 0;
        }

        /**
         * Fleet provisioning by claim before anything else starts; true once the configuration file is permanent,
         * false when SIGTERM stopped it first. The shutdown hook stops it and waits (≤ 5 s) for it to end, so a stop
         * never cuts a commit short without need (a cut one is safe too: {@code IdentityStore}).
         */
        private boolean provisionByClaim(AgentConfig c) throws IOException {
            Clock clock = Clock.systemUTC();
            ClaimProvisioning provisioning = ClaimProvisioning.overMqtt(c, config, clock,
                    Agent.provisioningReporter(c, clock));
            CountDownLatch ended = new CountDownLatch(1);
            Thread hook = Thread.ofPlatform().name("shutdown").unstarted(() -> {
                provisioning.stop();
                try {
                    ended.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            org.tinylog.Logger.info("no permanent identity yet: provisioning by claim with template {} as {}",
                    c.claim().templateName(), c.claim().clientId());
            try {
                provisioning.provision(c.claim());
            } catch (InterruptedException e) {
                return false;
            } finally {
                ended.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return false;
            }
            return true;
        }
    }

    private static void close(WindowInputs.Source sensors) {
        if (sensors instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                org.tinylog.Logger.warn("closing the sensors failed: {}", e.toString());
            }
        }
    }

    /**
     * One line per event on standard output (the journal adds time stamps), level info, unless a
     * {@code tinylog.properties} or {@code -Dtinylog.configuration} says otherwise.
     */
    static void configureLogging() {
        if (System.getProperty("tinylog.configuration") != null
                || AgentCommands.class.getClassLoader().getResource("tinylog.properties") != null) {
            return;
        }
        try {
            org.tinylog.configuration.Configuration.set("writer", "console");
            org.tinylog.configuration.Configuration.set("writer.stream", "out");
            org.tinylog.configuration.Configuration.set("writer.level", "info");
            org.tinylog.configuration.Configuration.set("writer.format", "{level}: {class-name}: {message}");
        } catch (UnsupportedOperationException e) {
            // tinylog is already running with its configuration
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Print the agent's health from its status file (connected, backlog, last PUBACK, each sensor: ok or fault code).",
                "Exit 1 when the status file is older than 2 minutes (agent not running)."})
    static final class StatusCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "agent configuration; its data directory is read")
        Path config;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "the agent's data directory")
        Path dataDir;

        @Option(names = "--json", description = "print the status file as is")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Path dir = dataDir;
            if (dir == null) {
                if (config == null) {
                    throw new BadInputException("give --config FILE or --data-dir DIR");
                }
                dir = new AgentConfigParser(false).parseOrExplain(config);
            }
            if (!Files.isRegularFile(dir.resolve(StatusFile.NAME))) {
                throw new BadInputException("no status file in " + dir + " (has the agent run there?)");
            }
            ObjectNode s = StatusFile.read(dir);
            PrintWriter out = spec.commandLine().getOut();
            Instant updated = Instant.parse(s.path("updated").asText("1970-01-01T00:00:00Z"));
            boolean stale = Duration.between(updated, Instant.now()).compareTo(Duration.ofMinutes(2)) > 0;
            if (json) {
                out.println(s.toPrettyString());
            } else {
                out.printf("thing       %s (pid %s)%n", s.path("thing").isNull() ? "(none yet)" : s.path("thing").asText(),
                        s.path("pid").asText());
                out.printf("updated     %s%s%n", updated, stale ? "  (STALE: agent not running?)" : "");
                JsonNode pr = s.path("provisioning");
                if (pr.isObject()) {
                    out.printf("provisioning by claim: %s, attempt %d, %d failure(s) in a row%s%s%n",
                            pr.path("state").asText(), pr.path("attempt").asInt(), pr.path("failures").asInt(),
                            text(pr, "nextAttempt").isEmpty() ? "" : ", next attempt " + text(pr, "nextAttempt"),
                            text(pr, "lastError").isEmpty() ? "" : "; last error: " + text(pr, "lastError"));
                    out.flush();
                    return stale ? Pettysync.EXIT_FAILED : 0;
                }
                out.printf("connected   %s%s%n", s.path("connected").asBoolean(),
                        text(s, "lastError").isEmpty() ? "" : "  last error: " + text(s, "lastError"));
                JsonNode ob = s.path("outbox");
                out.printf("backlog     %d frame(s); outbox %s, dropped %d%s%n", s.path("backlog").asLong(),
                        ob.path("durable").asBoolean() ? "on disk" : "IN MEMORY (storage fault)",
                        ob.path("droppedTotal").asLong(),
                        text(ob, "fault").isEmpty() ? "" : "; fault: " + text(ob, "fault"));
                out.printf("last PUBACK %s%n", text(s, "lastPuback").isEmpty() ? "never" : text(s, "lastPuback"));
                JsonNode up = s.path("uplink");
                out.printf("uplink      published %d, acknowledged %d, rejected %d dropped / %d kept, connects %d "
                        + "(%d failed)%n", up.path("published").asLong(), up.path("acknowledged").asLong(),
                        up.path("rejectedDropped").asLong(), up.path("rejectedKept").asLong(),
                        up.path("connects").asLong(), up.path("connectFailures").asLong());
                JsonNode vo = s.path("voice");
                if (vo.isObject()) {
                    out.printf("voice       %d clip(s), %d of %d bytes; stored %d, uploaded %d, evicted %d, not stored "
                            + "%d (too big %d), files cleaned %d%n", vo.path("clips").asLong(), vo.path("bytes").asLong(),
                            vo.path("quotaBytes").asLong(), vo.path("stored").asLong(), vo.path("uploaded").asLong(),
                            vo.path("evicted").asLong(), vo.path("writeFailures").asLong() + vo.path("tooBig").asLong(),
                            vo.path("tooBig").asLong(), vo.path("orphansRemoved").asLong()
                                    + vo.path("missingRemoved").asLong());
                }
                JsonNode raw = s.path("raw");
                if (raw.isObject() && raw.path("captureId").asLong() != 0) {
                    JsonNode sp = raw.path("spool");
                    out.printf("raw capture %s%s, capture %d until %d, %d chunk(s); spool %d chunk(s), %d of %d bytes%n",
                            raw.path("state").asText(), text(raw, "reason").isEmpty() ? "" : " (" + text(raw, "reason")
                            + ")", raw.path("captureId").asLong(), raw.path("untilUnix").asLong(),
                            raw.path("chunks").asLong(), sp.path("chunks").asLong(), sp.path("bytes").asLong(),
                            sp.path("quotaBytes").asLong());
                }
                JsonNode se = s.path("sensors");
                out.printf("sensors     %s, %d restart(s)%s%n", se.path("source").asText(), se.path("restarts").asLong(),
                        text(se, "lastError").isEmpty() ? "" : "; last error: " + text(se, "lastError"));
                se.path("states").fields().forEachRemaining(e -> out.printf("  %-9s %s%n", e.getKey(),
                        sensorState(e.getValue())));
                out.printf("window      %d s, next close %s%n", s.path("window").path("lengthS").asInt(),
                        s.path("window").path("nextClose").asText());
            }
            out.flush();
            return stale ? Pettysync.EXIT_FAILED : 0;
        }

        /** {@code ok}, or {@code fault <code> (<name>: <detail>)}. */
        static String sensorState(JsonNode st) {
            String state = st.path("state").asText("?");
            if (!"fault".equals(state)) {
                return state;
            }
            return "fault " + st.path("code").asInt() + " (" + text(st, "fault")
                    + (text(st, "detail").isEmpty() ? "" : ": " + text(st, "detail")) + ")";
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.path(field);
            return v.isMissingNode() || v.isNull() ? "" : v.asText();
        }
    }
}
