package com.pettysync.simulator.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.simulator.rollout.FleetRollout;
import com.pettysync.simulator.rollout.RolloutReport;
import com.pettysync.simulator.rollout.RolloutScenario;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code pettysync simulate --rollout FILE}: reads the scenario, runs it, prints progress and the verdict. */
final class RolloutRun {
    private RolloutRun() {}

    static int run(String file, Path out, PrintWriter w, PrintWriter err) throws IOException {
        RolloutScenario scenario;
        try {
            scenario = file.equals("-") ? RolloutScenario.DEFAULT : RolloutScenario.read(Path.of(file));
        } catch (IllegalArgumentException | IOException e) {
            if (!file.equals("-") && !Files.isRegularFile(Path.of(file))) {
                throw new BadInputException("--rollout: no such file " + file, e);
            }
            throw new BadInputException("--rollout " + file + ": " + e.getMessage(), e);
        }
        FleetRollout.Result r = new FleetRollout(scenario, line -> {
            w.println(line);
            w.flush();
        }).run();
        List<Path> files = RolloutReport.write(r, out);
        w.println("job " + r.jobId() + " " + r.jobStatus() + (r.reasonCode() == null ? "" : " (" + r.reasonCode()
                + ": " + r.comment() + ")") + "; executions " + r.executions() + ", not released " + r.notReleased()
                + "; " + r.simulated().toMinutes() + " simulated minutes in " + r.wall().toSeconds() + " s");
        w.println("report: " + files.get(0) + " and " + files.get(1));
        if (r.passed()) {
            w.println("rollout checks passed: aborted as configured, every failing collar back on build "
                    + scenario.fromBuild() + ", every succeeded collar on " + scenario.toBuild());
            w.flush();
            return 0;
        }
        w.flush();
        err.println("rollout checks FAILED: " + String.join("; ", r.violations().subList(0,
                Math.min(10, r.violations().size()))) + (r.violations().size() > 10 ? " …" : ""));
        return 1;
    }
}
