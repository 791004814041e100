package com.pettysync.contract.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.cli.CommandContribution;
import com.pettysync.contract.cost.CostEstimate;
import com.pettysync.contract.cost.CostModel;
import com.pettysync.contract.cost.FleetProfile;
import com.pettysync.contract.cost.PriceTable;
import com.pettysync.contract.policy.IotPolicy;
import com.pettysync.contract.shadow.CollarConfig;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.TopicException;
import com.pettysync.contract.topic.TopicMode;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pettysync contract policy | cost}: the collar IoT policy and the fleet cost estimate on the command line.
 *
 * <p>Exit codes: 0 printed; 2 bad input (an invalid region, account, rule name, collar count, interval or topic
 * mode), reported on one line.
 */
public final class CloudDocumentCommands implements CommandContribution {

    @Override
    public List<String> parent() {
        return List.of("contract");
    }

    @Override
    public String parentDescription() {
        return "The wire contract v1: encode, decode, validate frames; IoT policy; cost.";
    }

    @Override
    public List<Object> commands() {
        return List.of(new Policy(), new Cost());
    }

    @Command(name = "policy", mixinStandardHelpOptions = true,
            description = {"Print the least-privilege AWS IoT policy for collars (JSON).",
                "Each collar may connect only as its own attached thing and use only its own topics, its config "
                        + "shadow, its jobs and the Basic Ingest rule topic."})
    static final class Policy implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--region", required = true, paramLabel = "R", description = "AWS region, e.g. us-east-1.")
        String region;

        @Option(names = "--account", required = true, paramLabel = "A", description = "AWS account id, 12 digits.")
        String account;

        @Option(names = "--rule", paramLabel = "NAME", defaultValue = "pettysync_telemetry",
                description = "Basic Ingest rule name (default: ${DEFAULT-VALUE}).")
        String rule;

        @Override
        public Integer call() {
            IotPolicy policy;
            try {
                policy = IotPolicy.forCollars(region, account, RuleName.of(rule));
            } catch (IllegalArgumentException e) { // TopicException for the rule name, or region / account
                throw new BadInputException(e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(policy.json());
            if (!policy.json().endsWith("\n")) {
                out.println();
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "cost", mixinStandardHelpOptions = true,
            description = {"Print the monthly AWS IoT Core cost of a collar fleet by line item "
                    + "(us-east-1 list prices; see the cloud-contract README for sources and assumptions).",
                "Collars are always connected, one session a day, one 182-byte frame per interval.",
                "--tiers 10,1000,28000,1000000: the whole data path (IoT Core, validator function, hot store, "
                        + "S3 archive with Glacier, voice) per fleet size instead."})
    static final class Cost implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--collars", paramLabel = "N", description = "Number of collars.")
        long collars;

        @Option(names = "--tiers", paramLabel = "N,N,…", split = ",",
                description = "Fleet sizes: print the whole data path's monthly cost for each (PipelineCostModel).")
        long[] tiers;

        @Option(names = "--interval-s", paramLabel = "S", defaultValue = "300",
                description = "Telemetry interval in seconds, 60 … 3600 (default: ${DEFAULT-VALUE}).")
        int intervalS;

        @Option(names = "--topic-mode", paramLabel = "MODE", defaultValue = "direct",
                description = "direct or basic-ingest (default: ${DEFAULT-VALUE}).")
        String topicMode;

        @Override
        public Integer call() {
            if (tiers != null) {
                for (long t : tiers) {
                    if (t < 1 || t > 1_000_000_000L) {
                        throw new BadInputException("--tiers must be 1 … 1000000000 each, got " + t);
                    }
                }
                spec.commandLine().getOut().print(com.pettysync.contract.cost.PipelineCostModel.table(tiers,
                        PriceTable.US_EAST_1, com.pettysync.contract.cost.PipelinePrices.US_EAST_1));
                spec.commandLine().getOut().flush();
                return 0;
            }
            if (collars < 1 || collars > 1_000_000_000L) {
                throw new BadInputException("--collars must be 1 … 1000000000, got " + collars);
            }
            if (intervalS < CollarConfig.MIN_TELEMETRY_INTERVAL_S || intervalS > CollarConfig.MAX_TELEMETRY_INTERVAL_S) {
                throw new BadInputException("--interval-s must be " + CollarConfig.MIN_TELEMETRY_INTERVAL_S + " … "
                        + CollarConfig.MAX_TELEMETRY_INTERVAL_S + ", got " + intervalS);
            }
            TopicMode mode;
            try {
                mode = TopicMode.fromConfigName(topicMode);
            } catch (TopicException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            PriceTable prices = PriceTable.US_EAST_1;
            CostEstimate estimate = CostModel.forFleet(FleetProfile.of(collars, intervalS, mode), prices);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "AWS IoT Core, %s list prices of %s, %d-day month: %,d collars, one frame every "
                    + "%d s, %s%n", prices.region(), prices.asOf(), CostModel.DAYS_PER_MONTH, collars, intervalS,
                    mode.configName());
            out.print(estimate.format());
            out.printf(Locale.ROOT, "per collar: $%.4f / month%n", estimate.totalUsd()
                    .divide(java.math.BigDecimal.valueOf(collars), java.math.MathContext.DECIMAL64));
            out.flush();
            return 0;
        }
    }
}
