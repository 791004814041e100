package com.pettysync.contract.event;

import java.util.List;
import java.util.Objects;

/**
 * An event frame (wire contract v1 §4): the collar's own event counter, the Unix second it happened, its
 * type and the type's data values in wire order ({@link EventType#data()} names them). Version 1 is implied.
 */
public record EventFrame(long eseq, long t, EventType type, List<Long> data) {
    public static final int VERSION = 1;

    public EventFrame {
        Objects.requireNonNull(type, "type");
        data = List.copyOf(data);
    }

    public static EventFrame of(long eseq, long t, EventType type, long... data) {
        return new EventFrame(eseq, t, type, java.util.Arrays.stream(data).boxed().toList());
    }
}
