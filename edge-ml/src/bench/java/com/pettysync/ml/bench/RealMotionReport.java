package com.pettysync.ml.bench;

import com.pettysync.ml.hr.RealMotionScenarios;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The README's heart-rate-under-motion table: per {@link RealMotionScenarios scenario}, one-minute windows scored with
 * seed {@code base + ordinal}; reported windows, MAE, worst error, reported means beyond the tolerance, and the moving
 * total. Scenarios run in parallel (one task each).
 *
 * <p>{@code RealMotionReport [seedBase=2000] [windows=500] [threads=cores]}
 */
public final class RealMotionReport {
    public static void main(String[] args) throws Exception {
        long base = args.length > 0 ? Long.parseLong(args[0]) : 2000;
        int windows = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        print(base, windows, threads);
    }

    /** Prints the table for seeds {@code base + ordinal}, {@code windows} windows per scenario. */
    public static void print(long base, int windows, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<RealMotionScenarios, Future<RealMotionScenarios.Score>> runs = new EnumMap<>(RealMotionScenarios.class);
        try {
            for (RealMotionScenarios sc : RealMotionScenarios.values()) {
                runs.put(sc, pool.submit(() -> sc.score(base + sc.ordinal(), windows, 60)));
            }
            System.out.printf("HR under real motion, %d one-minute windows per scenario, seed %d + ordinal%n", windows,
                    base);
            System.out.println("| scenario | reported | MAE bpm | worst bpm | beyond tolerance |");
            System.out.println("|---|---|---|---|---|");
            int moving = 0;
            int reported = 0;
            int beyond = 0;
            List<String> rows = new ArrayList<>();
            for (var e : runs.entrySet()) {
                RealMotionScenarios.Score s = e.getValue().get();
                rows.add(String.format("| %s | %d/%d (%.1f %%) | %.2f | %.1f | %d |", e.getKey(), s.reported(),
                        s.windows(), 100 * s.coverage(), s.meanAbsError(), s.worstError(),
                        s.reported() - s.withinTolerance()));
                if (e.getKey() != RealMotionScenarios.REST) {
                    moving += s.windows();
                    reported += s.reported();
                    beyond += s.reported() - s.withinTolerance();
                }
            }
            rows.forEach(System.out::println);
            System.out.printf("moving: %d/%d reported (%.1f %%), %d beyond 8 bpm (%.2f %% of reported)%n", reported,
                    moving, 100.0 * reported / moving, beyond, 100.0 * beyond / Math.max(1, reported));
        } finally {
            pool.shutdown();
        }
    }

    private RealMotionReport() {}
}
