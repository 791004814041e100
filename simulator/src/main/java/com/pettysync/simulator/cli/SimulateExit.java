package com.pettysync.simulator.cli;

import com.pettysync.cli.Pettysync;
import com.pettysync.simulator.report.FleetReport;

/**
 * The exit statuses of {@code pettysync simulate} and {@code simulate scale}, in one place. 1, 2 and 3 are the
 * launcher's own ({@link Pettysync}); 4 and 5 say what only a fleet run can say.
 */
public final class SimulateExit {
    /** Every frame made was stored once (counted in the frame store). */
    public static final int VERIFIED = 0;
    /** A frame was lost, stored twice or refused as invalid; or a scale run failed (a process died, never connected). */
    public static final int FAILED = Pettysync.EXIT_FAILED;
    /** The run ended, but no frame store was counted (no {@code --frames}, or an AWS endpoint): loss unknown. */
    public static final int NOT_MEASURED = 4;
    /** {@code simulate scale}: the machine's limits cannot hold the plan; nothing was started. */
    public static final int MACHINE_TOO_SMALL = 5;

    static final String HELP_VERIFIED = "0:every frame stored once (counted)";
    static final String HELP_FAILED = "1:a frame lost, stored twice or refused as invalid (scale: or the run failed)";
    static final String HELP_BAD_INPUT = "2:bad options";
    static final String HELP_INTERNAL = "3:internal error";
    static final String HELP_NOT_MEASURED = "4:ran, delivery not measured (no frame store: --frames missing, or AWS)";
    static final String HELP_MACHINE = "5:scale: the machine's limits are short for the plan; nothing started";

    private SimulateExit() {
    }

    /** The exit status of a delivery verdict. */
    public static int of(FleetReport.Delivery delivery) {
        return of(delivery, false);
    }

    /**
     * The exit status of a delivery verdict; with {@code unmeasuredOk} (the operator asked for it: {@code
     * --unmeasured-ok}, e.g. a Kubernetes Job whose pods must not fail for a count no shard can make against AWS) a
     * run that could not count delivery exits 0 — its verdict and report still say "not measured".
     */
    public static int of(FleetReport.Delivery delivery, boolean unmeasuredOk) {
        return switch (delivery) {
            case VERIFIED -> VERIFIED;
            case LOSS_OR_DUPLICATE -> FAILED;
            case NOT_MEASURED -> unmeasuredOk ? VERIFIED : NOT_MEASURED;
        };
    }
}
