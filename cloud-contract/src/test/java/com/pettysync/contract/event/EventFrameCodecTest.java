package com.pettysync.contract.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.frame.ContractJson;
import com.pettysync.contract.frame.ContractViolation;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFrameCodecTest {

    @Test
    void everyTypeHasItsArityAndRoundTrips() {
        assertEquals(List.of(3, 3, 2, 1, 3, 3, 2, 3), java.util.Arrays.stream(EventType.values())
                .map(EventType::arity).toList());
        for (EventType type : EventType.values()) {
            long[] data = new long[type.arity()];
            EventFrame e = EventFrame.of(7, 1_767_225_900L, type, data);
            byte[] frame = EventFrameCodec.encode(e);
            assertTrue(frame.length <= EventFrameCodec.MAX_FRAME_BYTES);
            assertEquals(e, EventFrameCodec.decode(frame));
            assertEquals(e, ContractJson.parseEvent(ContractJson.toJson(e)));
            assertEquals(type, EventType.ofCode(type.code(), "type"));
        }
    }

    @Test
    void encodesTheSpecShape() {
        // {0: 1, 1: 1, 2: 1767225900, 3: 4, 4: [9]}
        assertEquals("a500010101021a6955ba2c0304048109", HexFormat.of().formatHex(
                EventFrameCodec.encode(EventFrame.of(1, 1_767_225_900L, EventType.LOW_BATTERY, 9))));
    }

    @Test
    void rejectsWrongArityRangeAndType() {
        assertEquals("data", assertThrows(ContractViolation.class, () -> EventFrameCodec.encode(
                EventFrame.of(1, 1, EventType.HR_ALERT, 180))).path());
        assertEquals("data[2]", assertThrows(ContractViolation.class, () -> EventFrameCodec.encode(
                EventFrame.of(1, 1, EventType.GEOFENCE_EXIT, 1, 0, 1_800_000_001))).path());
        assertEquals("data[0]", assertThrows(ContractViolation.class, () -> EventFrameCodec.encode(
                EventFrame.of(1, 1, EventType.LOW_BATTERY, 101))).path());
        assertEquals("data[2]", assertThrows(ContractViolation.class, () -> EventFrameCodec.encode(
                EventFrame.of(1, 1, EventType.FIRMWARE_APPLIED, 1, 2, 2))).path());
        // type 9
        assertEquals("type", assertThrows(ContractViolation.class, () -> EventFrameCodec.decode(
                HexFormat.of().parseHex("a500010101020203090480"))).path());
        // type 4 with two data values
        assertEquals("data", assertThrows(ContractViolation.class, () -> EventFrameCodec.decode(
                HexFormat.of().parseHex("a50001010102020304048209 09".replace(" ", "")))).path());
        assertEquals("eseq", assertThrows(ContractViolation.class, () -> EventFrameCodec.decode(
                HexFormat.of().parseHex("a40001020203040481 09".replace(" ", "")))).path());
    }
}
