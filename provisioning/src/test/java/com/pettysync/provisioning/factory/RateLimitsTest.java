package com.pettysync.provisioning.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    long now;
    final List<Long> waits = new ArrayList<>();

    RateLimits limits(double scale) {
        return new RateLimits(scale, () -> now, n -> {
            waits.add(n);
            now += n;
        });
    }

    @Test
    void aFullSecondOfQuotaGoesAtOnceThenCallsArePacedAtTheQuota() {
        RateLimits limits = limits(1);
        int quota = (int) ControlPlaneApi.CREATE_CERTIFICATE_FROM_CSR.perSecond();
        for (int i = 0; i < quota; i++) {
            limits.acquire(ControlPlaneApi.CREATE_CERTIFICATE_FROM_CSR);
        }
        assertEquals(List.of(), waits);
        limits.acquire(ControlPlaneApi.CREATE_CERTIFICATE_FROM_CSR);
        limits.acquire(ControlPlaneApi.CREATE_CERTIFICATE_FROM_CSR);
        long interval = Math.round(1e9 / quota);
        assertEquals(2, waits.size());
        assertEquals(interval, waits.get(0), 2);
        assertEquals(interval, waits.get(1), 2);
    }

    @Test
    void eachApiHasItsOwnBucket() {
        RateLimits limits = limits(1);
        for (int i = 0; i < ControlPlaneApi.CREATE_THING.perSecond(); i++) {
            limits.acquire(ControlPlaneApi.CREATE_THING);
        }
        limits.acquire(ControlPlaneApi.ATTACH_POLICY);
        assertEquals(List.of(), waits);
    }

    @Test
    void theScaleRaisesTheRate() {
        RateLimits limits = limits(2);
        for (int i = 0; i < 2 * ControlPlaneApi.CREATE_THING.perSecond(); i++) {
            limits.acquire(ControlPlaneApi.CREATE_THING);
        }
        assertEquals(List.of(), waits);
    }

    @Test
    void aScaleOfZeroOrLessIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> limits(0));
    }
}
