package com.pettysync.contract.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WireBudgetTest {

    /** MQTT 5 §3.3: type byte, remaining length, topic (2 + n), packet id, property length, payload. */
    @Test
    void aFramesPublishIsSizedByHand() {
        // remaining = 2 + 42 + 2 + 1 + 182 = 229 → two remaining-length bytes → 1 + 2 + 229
        assertEquals(232, WireBudget.publishBytes(42, 182));
        // remaining = 2 + 5 + 2 + 1 + 10 = 20 → one byte
        assertEquals(22, WireBudget.publishBytes(5, 10));
        // the remaining-length boundary: 127 fits one byte, 128 needs two
        assertEquals(1 + 1 + 127, WireBudget.publishBytes(5, 117));
        assertEquals(1 + 2 + 128, WireBudget.publishBytes(5, 118));
    }

    @Test
    void theDefaultDayAddsUpByHand() {
        WireBudget.Estimate day = WireBudget.defaults().perDay();
        WireBudget.Item frames = day.items().get(0);
        assertEquals("frames", frames.name());
        assertEquals(288.0, frames.perDay());
        assertEquals(232 + 22 + 4 + 22, frames.tlsBytes(), "PUBLISH and PUBACK, each in a TLS 1.3 record");
        assertEquals(280 + 4 * 52, frames.ipBytes(), "four segments: PUBLISH, its ACK, PUBACK, its ACK");
        WireBudget.Item pings = day.items().get(1);
        assertEquals(0.0, pings.perDay(), "a frame every 300 s keeps a 1200 s keep-alive from ever firing");
        long shadow = (1 + 2 + (2 + 57 + 2 + 1 + 330)) + 22 + 4 + 22 + (1 + 2 + (2 + 66 + 2 + 1 + 420)) + 22 + 4 + 22;
        assertEquals(shadow, day.items().get(2).tlsBytes());
        long tls = Math.round(288.0 * 280 + 24.0 * shadow + 9_300);
        assertEquals(tls, day.tlsBytesPerDay());
        long ip = Math.round(288.0 * (280 + 4 * 52) + 24.0 * (shadow + 8 * 52) + 9_300 + 60 * 52);
        assertEquals(ip, day.ipBytesPerDay());
        assertTrue(day.format().contains("target 80,000"), day.format());
    }

    @Test
    void keepAlivesAppearOnlyWhenTheLinkIsIdleForTheKeepAlive() {
        WireBudget hourly = WireBudget.defaults().withIntervalS(3600);
        assertEquals(0.0, hourly.withKeepAliveS(3600 + 1).perDay().items().get(1).perDay());
        WireBudget.Item pings = hourly.withKeepAliveS(1200).perDay().items().get(1);
        assertEquals(24.0 * 3, pings.perDay(), "three idle keep-alive periods in each hour between frames");
        assertEquals(2 * (2 + 22), pings.tlsBytes(), "PINGREQ and PINGRESP, each a TLS record");
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
    }
}
