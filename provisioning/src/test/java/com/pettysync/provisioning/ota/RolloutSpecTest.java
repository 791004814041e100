package com.pettysync.provisioning.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.model.AbortAction;
import software.amazon.awssdk.services.iot.model.JobExecutionFailureType;

class RolloutSpecTest {
    @Test
    void exponentialRolloutAsCreateJobTakesIt() {
        var r = RolloutSpec.rollout("base=10,increment=2,max=100");
        assertEquals(100, r.maximumPerMinute());
        assertEquals(10, r.exponentialRate().baseRatePerMinute());
        assertEquals(2.0, r.exponentialRate().incrementFactor());
        assertEquals(10, r.exponentialRate().rateIncreaseCriteria().numberOfNotifiedThings(), "default: base");
        var s = RolloutSpec.rollout("base=5,increment=1.5,max=50,succeeded=20");
        assertEquals(20, s.exponentialRate().rateIncreaseCriteria().numberOfSucceededThings());
        assertNull(s.exponentialRate().rateIncreaseCriteria().numberOfNotifiedThings());
        assertNull(RolloutSpec.rollout("max=50").exponentialRate());
    }

    @Test
    void abortAndTimeout() {
        var a = RolloutSpec.abort(List.of("failed>5%@min20", "timed-out>=12.5%@min3"));
        assertEquals(JobExecutionFailureType.FAILED, a.criteriaList().get(0).failureType());
        assertEquals(5.0, a.criteriaList().get(0).thresholdPercentage());
        assertEquals(20, a.criteriaList().get(0).minNumberOfExecutedThings());
        assertEquals(AbortAction.CANCEL, a.criteriaList().get(0).action());
        assertEquals(JobExecutionFailureType.TIMED_OUT, a.criteriaList().get(1).failureType());
        assertEquals(30L, RolloutSpec.timeout("30m").inProgressTimeoutInMinutes());
        assertEquals(120L, RolloutSpec.timeout("2h").inProgressTimeoutInMinutes());
    }

    @Test
    void refusesWhatAwsWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.rollout("base=10,increment=9,max=100"));
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.rollout("max=5000"));
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.rollout("bsae=10"));
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.abort(List.of("failed>5%")));
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.abort(List.of("failed>5%@min1",
                "failed>9%@min1")));
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.timeout("8d"));
        assertThrows(IllegalArgumentException.class, () -> RolloutSpec.timeout("30s"));
    }
}
