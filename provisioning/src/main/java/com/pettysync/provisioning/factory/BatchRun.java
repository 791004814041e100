package com.pettysync.provisioning.factory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * A production line's run: every checked row of a {@link CollarCsv} registered by a pool of workers, each collar
 * through {@link CollarRegistrar} (idempotent; journaled), paced by {@link RateLimits}, and a JSON report per collar.
 *
 * <p>A collar whose registration fails for a reason that can pass (throttling or 5xx beyond the SDK's retries, the
 * network gone) is tried again by its worker after a full-jitter back-off, up to {@code collarAttempts} times; one
 * that cannot pass (a duplicate thing, a refused request) fails at once. Either way the others go on. A killed run
 * is resumed by running it again: the journal and the registrar's checks make every collar end provisioned once.
 */
public final class BatchRun {
    /** Back-off between whole-collar attempts (the SDK backs off between single calls). */
    static final BackoffStrategy COLLAR_BACKOFF = BackoffStrategy.exponentialDelay(Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    /** The report's file name in the output directory. */
    public static final String REPORT = "provision-report.json";

    /** How one collar ended. */
    public enum Status { PROVISIONED, ALREADY_DONE, FAILED }

    /** One collar's line of the report. */
    public record CollarResult(String thing, Status status, String thingArn, String certificateId, int attempts,
            int apiCalls, String error) {}

    /** The run's outcome. */
    public record Result(List<CollarResult> collars, Duration elapsed, Path report) {
        public long count(Status s) {
            return collars.stream().filter(c -> c.status() == s).count();
        }

        public boolean allProvisioned() {
            return count(Status.FAILED) == 0;
        }
    }

    /** Sees each collar as it ends (progress display, tests). */
    @FunctionalInterface
    public interface Listener {
        void ended(CollarResult result, int ended, int total);
    }

    private final CollarRegistrar registrar;
    private final ApiCallCounter calls;
    private final int workers;
    private final int collarAttempts;
    private final Path out;
    private final Clock clock;

    public BatchRun(CollarRegistrar registrar, ApiCallCounter calls, int workers, int collarAttempts, Path out,
            Clock clock) {
        if (workers < 1 || collarAttempts < 1) {
            throw new IllegalArgumentException("workers and collar attempts must be >= 1");
        }
        this.registrar = registrar;
        this.calls = calls;
        this.workers = workers;
        this.collarAttempts = collarAttempts;
        this.out = out;
        this.clock = clock;
    }

    /** Registers every row; returns when all have ended. */
    public Result run(List<CollarCsv.Row> rows, Listener listener) throws IOException, InterruptedException {
        Instant start = clock.instant();
        registrar.recoverUnrecorded();
        ConcurrentLinkedQueue<CollarCsv.Row> queue = new ConcurrentLinkedQueue<>(rows);
        CollarResult[] results = new CollarResult[rows.size()];
        List<CollarCsv.Row> indexed = List.copyOf(rows);
        java.util.Map<CollarCsv.Row, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < indexed.size(); i++) {
            index.put(indexed.get(i), i);
        }
        AtomicInteger ended = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(Math.min(workers, rows.size()));
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < Math.min(workers, rows.size()); w++) {
            Thread t = Thread.ofPlatform().name("provision-" + w).daemon(true).start(() -> {
                try {
                    for (CollarCsv.Row row; (row = queue.poll()) != null; ) {
                        CollarResult r = provision(row);
                        results[index.get(row)] = r;
                        listener.ended(r, ended.incrementAndGet(), rows.size());
                    }
                } finally {
                    finished.countDown();
                }
            });
            threads.add(t);
        }
        finished.await();
        Result result = new Result(List.of(results), Duration.between(start, clock.instant()), out.resolve(REPORT));
        writeReport(result);
        return result;
    }

    private CollarResult provision(CollarCsv.Row row) {
        String thing = row.order().thing().value();
        calls.reset();
        String error = null;
        for (int attempt = 1; attempt <= collarAttempts; attempt++) {
            try {
                CollarKeys keys = row.csrKeys().isPresent() ? row.csrKeys().get()
                        : CollarKeys.generated(out, row.order().thing());
                CollarRegistrar.Registration r = registrar.register(row.order(), keys, StepLog.SILENT);
                return new CollarResult(thing, r.outcome() == CollarRegistrar.Outcome.ALREADY_DONE
                        ? Status.ALREADY_DONE : Status.PROVISIONED, r.thingArn(), r.certificateId(), attempt,
                        calls.count(), null);
            } catch (RegistrationException e) {
                error = e.getMessage();
                if (!e.retryable() || attempt == collarAttempts) {
                    break;
                }
                Logger.info("provision: {} (attempt {} of {}), trying again", e.getMessage(), attempt,
                        collarAttempts);
                LockSupport.parkNanos(COLLAR_BACKOFF.computeDelay(attempt).toNanos());
            } catch (IOException | RuntimeException e) {
                error = thing + ": " + e;
                break;
            }
        }
        Logger.warn("provision: {} failed: {}", thing, error);
        return new CollarResult(thing, Status.FAILED, null, null, collarAttempts, calls.count(), error);
    }

    private void writeReport(Result r) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("collars", r.collars().size());
        root.put("provisioned", r.count(Status.PROVISIONED));
        root.put("alreadyDone", r.count(Status.ALREADY_DONE));
        root.put("failed", r.count(Status.FAILED));
        root.put("elapsedS", r.elapsed().toMillis() / 1000.0);
        ArrayNode list = root.putArray("results");
        for (CollarResult c : r.collars()) {
            ObjectNode o = list.addObject();
            o.put("thing", c.thing());
            o.put("status", c.status().name().toLowerCase(java.util.Locale.ROOT));
            o.put("thingArn", c.thingArn());
            o.put("certificateId", c.certificateId());
            o.put("attempts", c.attempts());
            o.put("apiCalls", c.apiCalls());
            o.put("error", c.error());
        }
        Path tmp = out.resolve(REPORT + ".tmp");
        Files.writeString(tmp, json.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, out.resolve(REPORT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
