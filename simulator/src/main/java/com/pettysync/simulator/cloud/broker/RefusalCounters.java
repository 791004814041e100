package com.pettysync.simulator.cloud.broker;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of everything the local IoT Core refused, by kind ({@code connect:NOT_AUTHORIZED},
 * {@code publish:QUOTA_EXCEEDED}, {@code subscribe:NOT_AUTHORIZED}, {@code ingest:QUOTA_EXCEEDED} (the ingest queue
 * was full), {@code ingest:UNSPECIFIED_ERROR} (the frame store failed), …) and by client ID. Thread-safe, lock-free.
 */
public final class RefusalCounters {
    private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> byClient = new ConcurrentHashMap<>();

    void count(String operation, String reason, String clientId) {
        byKind.computeIfAbsent(operation + ":" + reason, k -> new LongAdder()).increment();
        byClient.computeIfAbsent(clientId == null ? "" : clientId, k -> new LongAdder()).increment();
    }

    /**
     * How many refusals of {@code operation} ({@code connect}, {@code publish}, {@code subscribe}, {@code ingest}) for
     * {@code reason}.
     */
    public long count(String operation, String reason) {
        LongAdder a = byKind.get(operation + ":" + reason);
        return a == null ? 0 : a.sum();
    }

    /** How many refusals any operation of {@code clientId} got. */
    public long forClient(String clientId) {
        LongAdder a = byClient.get(clientId);
        return a == null ? 0 : a.sum();
    }

    /** Every count, by {@code operation:REASON}, sorted. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byKind.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
