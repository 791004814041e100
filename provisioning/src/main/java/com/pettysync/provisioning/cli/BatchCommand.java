package com.pettysync.provisioning.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.cli.BadInputException;
import com.pettysync.cli.Pettysync;
import com.pettysync.provisioning.factory.ApiCallCounter;
import com.pettysync.provisioning.factory.AttributeRules;
import com.pettysync.provisioning.factory.BatchRun;
import com.pettysync.provisioning.factory.BundleFiles;
import com.pettysync.provisioning.factory.CollarBundle;
import com.pettysync.provisioning.factory.CollarCsv;
import com.pettysync.provisioning.factory.CollarRegistrar;
import com.pettysync.contract.fleet.CollarAttribute;
import com.pettysync.contract.fleet.FleetNames;
import com.pettysync.provisioning.factory.FleetSetup;
import com.pettysync.provisioning.factory.ProvisioningJournal;
import com.pettysync.provisioning.factory.RateLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.iot.IotClient;

/** {@code provision batch}: a production line's run of collars from a CSV file, parallel, resumable. */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Register every collar of a CSV file (header: serial,csr,group,<attribute columns>; csr is a "
                + "CSR file relative to the CSV or \"generate\") in parallel within AWS IoT's per-API rate quotas, "
                + "retrying throttling, 5xx and network failures with full-jitter back-off.",
                "Idempotent and resumable: a journal next to the output is fsynced per step; kill the run at any "
                        + "moment and run the same command again — every collar ends provisioned exactly once and no "
                        + "certificate is left active without its thing. Writes provision-report.json (per collar: "
                        + "thing ARN, certificate id, status, attempts, API calls, error)."})
final class BatchCommand extends ControlPlaneCommand {
    @Option(names = "--csv", paramLabel = "FILE", required = true, description = "the collars")
    Path csv;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "thing group for rows without one (default: pettysync-fleet)")
    String group = FleetNames.STANDARD.defaultThingGroup();

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "8",
            description = "collars provisioned at once (default: the fleet's)")
    int parallel;

    @Option(names = "--collar-attempts", paramLabel = "N", defaultValue = "5",
            description = "attempts per collar for failures that can pass (default: the fleet's)")
    int collarAttempts;

    @Option(names = "--no-progress", description = "no progress bar even on a terminal")
    boolean noProgress;

    @Mixin
    FactoryOptions factory;

    @Override
    int execute() throws IOException, InterruptedException {
        if (parallel < 1 || parallel > 64) {
            throw new BadInputException("--parallel must be 1-64, got " + parallel);
        }
        if (collarAttempts < 1 || collarAttempts > 100) {
            throw new BadInputException("--collar-attempts must be 1-100, got " + collarAttempts);
        }
        if (!Files.isReadable(csv)) {
            throw new BadInputException("--csv " + csv + " is not a readable file");
        }
        List<CollarCsv.Row> rows;
        try {
            rows = CollarCsv.read(csv, Optional.ofNullable(group).filter(g -> !g.isEmpty()), AttributeRules.AWS);
        } catch (CollarCsv.InvalidCsvException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        String rootCa = factory.rootCaPem(controlPlane.target());
        TreeSet<String> groups = new TreeSet<>();
        rows.forEach(r -> r.order().group().ifPresent(groups::add));
        ApiCallCounter calls = new ApiCallCounter();
        ProgressBar progress = new ProgressBar(err(), !noProgress && !controlPlane.json && System.console() != null);
        try (IotClient iot = controlPlane.client(parallel + 1, List.of(calls));
                ProvisioningJournal journal = ProvisioningJournal.open(factory.out)) {
            RateLimits limits = controlPlane.limits();
            FleetSetup fleet = FleetSetup.prepare(iot, limits, factory.thingType, CollarAttribute.searchable(),
                    groups, factory.policy, factory.rule(), controlPlane.signingRegion(), rootCa, steps());
            CollarRegistrar registrar = new CollarRegistrar(iot, limits, fleet, journal,
                    new CollarBundle(BundleFiles.DISK), factory.out, factory.dataDirectory, factory.force,
                    Clock.systemUTC());
            BatchRun.Result result = new BatchRun(registrar, calls, parallel, collarAttempts, factory.out,
                    Clock.systemUTC()).run(rows, progress::update);
            progress.finish();
            double seconds = Math.max(0.001, result.elapsed().toMillis() / 1000.0);
            if (controlPlane.json) {
                ObjectNode j = JSON.createObjectNode();
                j.put("collars", result.collars().size());
                j.put("provisioned", result.count(BatchRun.Status.PROVISIONED));
                j.put("alreadyDone", result.count(BatchRun.Status.ALREADY_DONE));
                j.put("failed", result.count(BatchRun.Status.FAILED));
                j.put("elapsedS", seconds);
                j.put("report", result.report().toString());
                printJson(j);
            } else {
                result.collars().stream().filter(c -> c.status() == BatchRun.Status.FAILED).limit(20)
                        .forEach(c -> out().println("failed: " + c.error()));
                out().printf("%d collars: %d provisioned, %d already done, %d failed in %.1f s (%.1f collars/s); "
                        + "report %s%n", result.collars().size(), result.count(BatchRun.Status.PROVISIONED),
                        result.count(BatchRun.Status.ALREADY_DONE), result.count(BatchRun.Status.FAILED), seconds,
                        result.collars().size() / seconds, result.report());
            }
            return result.allProvisioned() ? 0 : Pettysync.EXIT_FAILED;
        }
    }
}
