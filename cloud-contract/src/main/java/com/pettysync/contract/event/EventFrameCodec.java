package com.pettysync.contract.event;

import com.pettysync.contract.frame.CborFrameWriter;
import com.pettysync.contract.frame.CborItem;
import com.pettysync.contract.frame.CborReader;
import com.pettysync.contract.frame.ContractViolation;
import com.pettysync.contract.frame.Field;
import com.pettysync.contract.frame.FrameShape;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes, decodes and validates event frames (wire contract v1 §4), same guarantees and failure model as the
 * telemetry codec: deterministic CBOR out, any well-formed CBOR of the shape in, one {@link ContractViolation}
 * (path + rule) for everything else, input over 182 bytes rejected before parsing.
 *
 * <pre>
 * frame = {0: v = 1, 1: eseq uint, 2: t uint (Unix s), 3: type 1 … 8, 4: data [arity of type]}
 * </pre>
 */
public final class EventFrameCodec {
    public static final int MAX_FRAME_BYTES = 182;

    static final String[] KEYS = {"v", "eseq", "t", "type", "data"};
    static final Field ESEQ = Field.uint("eseq");
    static final Field T = Field.uint("t");

    private EventFrameCodec() {}

    /** The deterministic CBOR frame of a valid event (never over 182 bytes: at most 5 + 9 · 5 + 1). */
    public static byte[] encode(EventFrame event) {
        validate(event);
        CborFrameWriter w = new CborFrameWriter(64).startMap(5);
        w.key(0).integer(EventFrame.VERSION);
        w.key(1).integer(event.eseq());
        w.key(2).integer(event.t());
        w.key(3).integer(event.type().code());
        w.key(4).startArray(event.data().size());
        for (long v : event.data()) {
            w.integer(v);
        }
        return w.endArray().finishMap();
    }

    /** The validated event in {@code frame}. */
    public static EventFrame decode(byte[] frame) {
        FrameShape.checkSize(frame.length, MAX_FRAME_BYTES);
        CborItem[] known = FrameShape.topLevel(CborReader.readSingle(frame), KEYS);
        for (int k = 0; k < KEYS.length; k++) {
            FrameShape.required(known, k, KEYS);
        }
        FrameShape.integer(known[0], "v", new Field("v", EventFrame.VERSION, EventFrame.VERSION));
        long eseq = FrameShape.integer(known[1], "eseq", ESEQ);
        long t = FrameShape.integer(known[2], "t", T);
        EventType type = EventType.ofCode(FrameShape.integer(known[3], "type", new Field("type", 1, 8)), "type");
        long[] v = FrameShape.integers(known[4], "data", type.data().toArray(Field[]::new));
        List<Long> data = new ArrayList<>(v.length);
        for (long x : v) {
            data.add(x);
        }
        return validate(new EventFrame(eseq, t, type, data));
    }

    /** Returns {@code event} if its counter, time and data (arity and ranges of its type) are valid. */
    public static EventFrame validate(EventFrame event) {
        ESEQ.check(event.eseq(), "eseq");
        T.check(event.t(), "t");
        List<Field> fields = event.type().data();
        if (event.data().size() != fields.size()) {
            throw new ContractViolation("data", "must be an array of " + fields.size() + " for "
                    + event.type().jsonName() + ", not " + event.data().size());
        }
        for (int i = 0; i < fields.size(); i++) {
            Long value = event.data().get(i);
            fields.get(i).check(value, "data[" + i + "]");
        }
        return event;
    }
}
