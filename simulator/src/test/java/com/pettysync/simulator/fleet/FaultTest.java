package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FaultTest {
    @Test
    void parsesTheThreeScenarios() {
        Fault r = Fault.parse("broker-restart@10m");
        assertEquals(Fault.Kind.BROKER_RESTART, r.kind());
        assertEquals(Duration.ofMinutes(10), r.at());
        Fault o = Fault.parse("offline:12.5%@1h+90s");
        assertEquals(Fault.Kind.OFFLINE, o.kind());
        assertEquals(0.125, o.fraction(), 1e-9);
        assertEquals(Duration.ofHours(1), o.at());
        assertEquals(Duration.ofSeconds(90), o.length());
        Fault k = Fault.parse("kill:3@PT20M");
        assertEquals(Fault.Kind.KILL, k.kind());
        assertEquals(3, k.fraction());
        assertEquals(Duration.ofMinutes(20), k.at());
        assertEquals(1, Fault.parse("kill@5s").fraction());
        Fault n = Fault.parse("net:150ms/2.5%@10m+5m");
        assertEquals(Fault.Kind.NETWORK, n.kind());
        assertEquals(Duration.ofMillis(150), n.delay());
        assertEquals(0.025, n.fraction(), 1e-9);
        assertEquals(Duration.ofMinutes(10), n.at());
        assertEquals(Duration.ofMinutes(5), n.length());
        assertEquals(0, Fault.parse("net:80ms@1m+1m").fraction(), "loss is optional");
    }

    @Test
    void refusesWhatItDoesNotKnowWithTheAcceptedForms() {
        var e = assertThrows(IllegalArgumentException.class, () -> Fault.parse("reboot@1m"));
        assertEquals(true, e.getMessage().contains("broker-restart@T"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("offline:0%@1m+1m"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("offline:150%@1m+1m"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("broker-restart@soon"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("net:100ms/100%@1m+1m"));
        assertThrows(IllegalArgumentException.class, () -> Fault.parse("net:20000ms@1m+1m"));
        assertEquals(true, e.getMessage().contains("net:DELAYms[/LOSS%]@T+D"));
    }
}
