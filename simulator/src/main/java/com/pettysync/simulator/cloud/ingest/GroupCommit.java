package com.pettysync.simulator.cloud.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tinylog.Logger;

/**
 * Group commits in front of the {@link IngestSink}: any number of threads hand in payloads ({@link #submit}) without
 * blocking; one writer thread drains the queue, validates and stores everything waiting (up to {@code maxBatch}) in
 * one SQLite transaction ({@link IngestSink#acceptAll}), commits, and only then completes each payload's future.
 *
 * <p>Guarantee: a future completes with a {@link Verdict} only after the transaction holding its payload has
 * committed — {@link Verdict#STORED}: the frame is in the store; {@link Verdict#DUPLICATE}: its key already was;
 * {@link Verdict#INVALID}: its reject row is. So the broker, which releases a PUBACK when the future completes,
 * acknowledges nothing that is not durable (as durable as {@link IngestSink} says). Payloads are decided in the order
 * they were queued, so one connection's frames keep their order.
 *
 * <p>Failure model — a future fails with {@link IngestRefused}, and the payload must not be acknowledged, when:
 * <ul>
 *   <li>{@link IngestRefused.Reason#BUSY}: the queue holds {@code maxQueued} payloads or {@code maxQueuedBytes}
 *       bytes. Back-pressure never blocks the caller (a broker thread): the payload is refused at once, nothing is
 *       written, and the sender is told to back off and re-send (PUBACK 0x97);</li>
 *   <li>{@link IngestRefused.Reason#STORE_FAILED}: the database failed; the whole batch was rolled back, so none of it
 *       is stored, and every re-send is stored once (the sink's keys);</li>
 *   <li>{@link IngestRefused.Reason#CLOSED}: submitted after {@link #close()} began.</li>
 * </ul>
 * A payload whose sender stopped waiting (the broker's timeout) may still be stored when its batch commits; its
 * re-send is then a duplicate — at-least-once delivery, exactly once in the store. {@link #close()} stores what is
 * queued before it returns.
 */
public final class GroupCommit implements AutoCloseable {
    /** Payloads waiting by default: 10 in flight (HiveMQ's default Receive Maximum) for 3,276 connections at once. */
    public static final int DEFAULT_MAX_QUEUED = 32_768;
    /** Bytes waiting by default: 256 full-size (128 KiB) voice or raw payloads. */
    public static final long DEFAULT_MAX_QUEUED_BYTES = 32L << 20;
    /** Payloads per transaction at most. */
    public static final int DEFAULT_MAX_BATCH = 1_000;

    private record Pending(Arrival arrival, CompletableFuture<Verdict> verdict) {
    }

    /** Put in the queue by {@link #close()}: the writer stops after what precedes it. */
    private static final Pending STOP = new Pending(new Arrival("", Stream.TELEMETRY, new byte[0]), null);

    private final IngestSink sink;
    private final int maxQueued;
    private final long maxQueuedBytes;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Read: submitting (many at once); write: closing — so no payload is queued behind {@link #STOP}. */
    private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
    private final LongAdder batches = new LongAdder();
    private final LongAdder decided = new LongAdder();
    private final Thread writer;
    private boolean closed;

    /** A writer for {@code sink} with the default bounds; call {@link #start()}. */
    public GroupCommit(IngestSink sink) {
        this(sink, DEFAULT_MAX_QUEUED, DEFAULT_MAX_QUEUED_BYTES, DEFAULT_MAX_BATCH);
    }

    public GroupCommit(IngestSink sink, int maxQueued, long maxQueuedBytes, int maxBatch) {
        if (maxQueued < 1 || maxQueuedBytes < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("queue bounds and batch size must be positive: " + maxQueued + ", "
                    + maxQueuedBytes + ", " + maxBatch);
        }
        this.sink = sink;
        this.maxQueued = maxQueued;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.writer = Thread.ofPlatform().name("ingest-writer").daemon().unstarted(this::drain);
    }

    /** Starts the writer thread; returns this. */
    public GroupCommit start() {
        writer.start();
        return this;
    }

    /**
     * Queues what {@code thing} sent on {@code stream}; never blocks. The future completes with the payload's verdict
     * once it is committed, or fails with {@link IngestRefused} (see the class comment); it completes on the writer
     * thread, so what the caller chains to it must be short.
     */
    public CompletableFuture<Verdict> submit(String thing, Stream stream, byte[] payload) {
        Pending p = new Pending(new Arrival(thing, stream, payload), new CompletableFuture<>());
        closing.readLock().lock();
        try {
            if (closed) {
                return refused(p, IngestRefused.Reason.CLOSED, "the ingest writer is stopped");
            }
            if (queuedBytes.addAndGet(payload.length) > maxQueuedBytes || !queue.offer(p)) {
                queuedBytes.addAndGet(-payload.length);
                return refused(p, IngestRefused.Reason.BUSY, "the ingest queue is full (" + maxQueued
                        + " payloads or " + maxQueuedBytes + " bytes)");
            }
        } finally {
            closing.readLock().unlock();
        }
        return p.verdict();
    }

    private static CompletableFuture<Verdict> refused(Pending p, IngestRefused.Reason reason, String why) {
        p.verdict().completeExceptionally(new IngestRefused(reason, why, null));
        return p.verdict();
    }

    /** Transactions committed or rolled back so far. */
    public long batches() {
        return batches.sum();
    }

    /** Payloads handed to the sink in those transactions (their mean size: {@code decided() / batches()}). */
    public long decided() {
        return decided.sum();
    }

    private void drain() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        List<Arrival> arrivals = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                Logger.warn("ingest: the writer was interrupted; queued payloads are refused");
                closing.writeLock().lock();
                closed = true;
                closing.writeLock().unlock();
                failAll(IngestRefused.Reason.CLOSED, "the ingest writer was interrupted", null);
                return;
            }
            queue.drainTo(batch, maxBatch - 1);
            int stop = batch.indexOf(STOP);
            if (stop >= 0) {
                stopping = true;
                batch.subList(stop, batch.size()).clear(); // nothing is queued behind STOP
            }
            if (!batch.isEmpty()) {
                commit(batch, arrivals);
            }
            batch.clear();
            arrivals.clear();
        }
    }

    private void commit(List<Pending> batch, List<Arrival> arrivals) {
        long bytes = 0;
        for (Pending p : batch) {
            arrivals.add(p.arrival());
            bytes += p.arrival().payload().length;
        }
        queuedBytes.addAndGet(-bytes);
        List<Verdict> verdicts;
        try {
            verdicts = sink.acceptAll(arrivals);
        } catch (RuntimeException e) {
            Logger.error("ingest: a group commit of {} payloads failed, none acknowledged: {}", batch.size(),
                    e.getMessage());
            IngestRefused failure = new IngestRefused(IngestRefused.Reason.STORE_FAILED,
                    "the frame store failed: " + e.getMessage(), e);
            batch.forEach(p -> p.verdict().completeExceptionally(failure));
            return;
        } finally {
            batches.increment();
            decided.add(batch.size());
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).verdict().complete(verdicts.get(i));
        }
    }

    private void failAll(IngestRefused.Reason reason, String why, Throwable cause) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        IngestRefused failure = new IngestRefused(reason, why, cause);
        left.stream().filter(p -> p != STOP).forEach(p -> p.verdict().completeExceptionally(failure));
    }

    /**
     * Refuses new payloads, lets the writer store everything queued before this call, and waits for it to end.
     * Idempotent.
     */
    @Override
    public void close() {
        closing.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true; // from here no payload is queued: submit checks it under the read lock
        } finally {
            closing.writeLock().unlock();
        }
        if (writer.getState() == Thread.State.NEW) {
            failAll(IngestRefused.Reason.CLOSED, "the ingest writer was never started", null);
            return;
        }
        try {
            queue.put(STOP); // waits for room while the writer drains
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
