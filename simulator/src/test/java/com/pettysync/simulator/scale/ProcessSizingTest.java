package com.pettysync.simulator.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessSizingTest {
    private static int xmxMib(List<String> jvm) {
        return jvm.stream().filter(o -> o.startsWith("-Xmx")).map(o -> Integer.parseInt(o.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
    }

    @Test
    void theHeapCapIsABasePlusABudgetPerCollar() {
        assertEquals(ProcessSizing.FLEET_BASE_HEAP_MIB, xmxMib(ProcessSizing.fleetJvm(0)));
        assertEquals(ProcessSizing.FLEET_BASE_HEAP_MIB + 3500 * ProcessSizing.FLEET_HEAP_KIB_PER_COLLAR / 1024,
                xmxMib(ProcessSizing.fleetJvm(3500)));
        assertEquals(ProcessSizing.BROKER_BASE_HEAP_MIB + 14_000 * ProcessSizing.BROKER_HEAP_KIB_PER_COLLAR / 1024,
                xmxMib(ProcessSizing.brokerJvm(14_000)));
        assertThrows(IllegalArgumentException.class, () -> ProcessSizing.fleetJvm(-1));
    }

    @Test
    void everySizedProcessUsesSerialGcAndASmallInitialHeap() {
        for (List<String> jvm : List.of(ProcessSizing.fleetJvm(3500), ProcessSizing.brokerJvm(14_000))) {
            assertTrue(jvm.contains("-XX:+UseSerialGC"), jvm.toString());
            int xms = jvm.stream().filter(o -> o.startsWith("-Xms")).map(o -> Integer.parseInt(o.replaceAll("\\D", "")))
                    .findFirst().orElseThrow();
            assertTrue(xms < xmxMib(jvm), jvm.toString());
        }
    }

    @Test
    void optionsTheUserGaveWinOverTheSizedOnes() {
        List<String> mine = List.of("-Xmx3g");
        assertEquals(mine, ProcessSizing.orSized(mine, ProcessSizing.fleetJvm(10)));
        assertEquals(ProcessSizing.fleetJvm(10), ProcessSizing.orSized(List.of(), ProcessSizing.fleetJvm(10)));
    }
}
