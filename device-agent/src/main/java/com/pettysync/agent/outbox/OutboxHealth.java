package com.pettysync.agent.outbox;

import java.nio.file.Path;

/**
 * What the outbox reports about itself (for the status file and the frame's fault flags).
 *
 * @param durable        true when frames are committed to SQLite; false while degraded to memory
 * @param pending        frames waiting for a PUBACK
 * @param droppedTotal   frames discarded by the capacity drop policy since this store was opened
 * @param fault          the last storage fault in one line, or null when none is current
 * @param movedAside     where the last corrupt database file was moved, or null
 */
public record OutboxHealth(boolean durable, int pending, long droppedTotal, String fault, Path movedAside) {
}
