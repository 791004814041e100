package com.pettysync.contract.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WireBudgetTest {

    /** MQTT 5 §3.3: type byte, remaining length, topic (2 + n), packet id, properties, payload. */
    @Test
    void aPublishIsSizedByHand() {
        // remaining = 2 + 42 + 2 + 1 + 182 = 229 → two remaining-length bytes → 1 + 2 + 229
        assertEquals(232, WireBudget.publishBytes(42, false, 182));
        // with an alias: no topic, 3 bytes of property: remaining = 2 + 0 + 2 + 1 + 3 + 118 = 126 → one byte
        assertEquals(128, WireBudget.publishBytes(0, true, 118));
        // the remaining-length boundary: 127 fits one byte, 128 needs two
        assertEquals(1 + 1 + 127, WireBudget.publishBytes(5, false, 117));
        assertEquals(1 + 2 + 128, WireBudget.publishBytes(5, false, 118));
    }

    /** The frame burst wire-day.sh captured: a 118-byte frame after the first, 166 bytes up, 43 down, 417 IP. */
    @Test
    void theLocalCloudFrameMatchesTheCapture() {
        WireBudget.Item frame = WireBudget.localCloud().withFrameBytes(118).perDay().items().get(0);
        assertEquals(166 + 43, frame.tlsBytes());
        assertEquals(287 + 130, frame.ipBytes());
    }

    @Test
    void theDefaultDayAddsUpByHand() {
        WireBudget.Estimate day = WireBudget.defaults().perDay();
        WireBudget.Item frames = day.items().get(0);
        assertEquals("frames", frames.name());
        assertEquals(288.0, frames.perDay());
        long frame = (1 + 2 + (2 + 2 + 1 + 3 + 182)) + 38 + (4 + 22);
        assertEquals(frame, frames.tlsBytes(), "PUBLISH in the collar's padded record, PUBACK in the broker's");
        assertEquals(frame + 4 * 52, frames.ipBytes(), "four segments: PUBLISH, its ACK, PUBACK, its ACK");
        WireBudget.Item pings = day.items().get(1);
        assertEquals(0.0, pings.perDay(), "a frame every 300 s keeps a 1200 s keep-alive from ever firing");
        long shadow = (1 + 2 + (2 + 57 + 2 + 1 + 260)) + 38 + (4 + 22) + (1 + 2 + (2 + 66 + 2 + 1 + 600)) + 22
                + (4 + 38);
        assertEquals(shadow, day.items().get(2).tlsBytes());
        long tls = Math.round(288.0 * frame + 24.0 * shadow + 8_217);
        assertEquals(tls, day.tlsBytesPerDay());
        long ip = Math.round(288.0 * (frame + 4 * 52) + 24.0 * (shadow + 8 * 52) + 8_217 + 62 * 52);
        assertEquals(ip, day.ipBytesPerDay());
        assertTrue(day.format().contains("target 80,000"), day.format());
    }

    @Test
    void keepAlivesAppearOnlyWhenTheLinkIsIdleForTheKeepAlive() {
        WireBudget hourly = WireBudget.defaults().withIntervalS(3600);
        assertEquals(0.0, hourly.withKeepAliveS(3600 + 1).perDay().items().get(1).perDay());
        WireBudget.Item pings = hourly.withKeepAliveS(1200).perDay().items().get(1);
        assertEquals(24.0 * 3, pings.perDay(), "three idle keep-alive periods in each hour between frames");
        assertEquals((2 + 38) + (2 + 22), pings.tlsBytes(), "PINGREQ in the collar's padded record, PINGRESP");
    }

    @Test
    void connectsScaleWithTheirRate() {
        WireBudget w = WireBudget.defaults();
        long base = w.withConnects(0, 0, 0).perDay().tlsBytesPerDay();
        assertEquals(base + 3 * 4_000, w.withConnects(3, 4_000, 40).perDay().tlsBytesPerDay());
        assertEquals(w.withConnects(0, 0, 0).perDay().ipBytesPerDay() + 3 * (4_000 + 40 * 52),
                w.withConnects(3, 4_000, 40).perDay().ipBytesPerDay());
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WireBudget.defaults().withIntervalS(0));
        assertThrows(IllegalArgumentException.class, () -> WireBudget.defaults().withConnects(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> WireBudget.defaults().withConnects(Double.NaN, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> WireBudget.defaults().withConnects(1, -5, 0));
        assertThrows(IllegalArgumentException.class, () -> WireBudget.defaults().withBroker(false, 3));
    }
}
