package com.pettysync.contract.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.contract.raw.RawSensor;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RawCaptureSettingTest {
    private static final long T = 1_767_225_600L;
    private static final CollarConfig C = CollarConfig.DEFAULTS;

    private static String delta(String state) {
        return "{\"state\":" + state + ",\"metadata\":{},\"version\":3,\"timestamp\":" + T + "}";
    }

    @Test
    void aRequestUpTo24HoursAheadOfTheDocumentIsApplied() {
        ConfigChange ch = ConfigDelta.applyDelta(C, delta(
                "{\"rawCapture\":{\"sensors\":[\"imu\",\"ppg\"],\"untilUnix\":" + (T + 86_400) + "}}"));
        assertEquals(Map.of(), ch.rejected());
        RawCapture r = ch.config().rawCapture();
        assertEquals(Set.of(RawSensor.PPG, RawSensor.IMU), r.sensors());
        assertTrue(r.inForceAt(T + 86_399));
        assertFalse(r.inForceAt(T + 86_400));
        assertEquals("{\"sensors\":[\"ppg\",\"imu\"],\"untilUnix\":" + (T + 86_400) + "}",
                ch.applied().get("rawCapture").toString());
    }

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "{\"rawCapture\":{\"sensors\":[\"ppg\"],\"untilUnix\":1767312001}}|rawCapture.untilUnix|must be at most 86400 s"
                + " after the document's timestamp 1767225600 (at most 1767312000)",
        "{\"rawCapture\":true}|rawCapture|must be an object {sensors, untilUnix}",
        "{\"rawCapture\":{\"sensors\":[\"ppg\",\"ppg\"],\"untilUnix\":1}}|rawCapture.sensors|must be an array of"
                + " distinct sensors (ppg, imu)",
        "{\"rawCapture\":{\"sensors\":[\"gps\"],\"untilUnix\":1}}|rawCapture.sensors|must be an array of distinct"
                + " sensors (ppg, imu)",
        "{\"rawCapture\":{\"sensors\":\"ppg\",\"untilUnix\":1}}|rawCapture.sensors|must be an array of distinct"
                + " sensors (ppg, imu)",
        "{\"rawCapture\":{\"sensors\":[],\"untilUnix\":-1}}|rawCapture.untilUnix|must be an integer >= 0"
                + " (Unix seconds)",
        "{\"rawCapture\":{\"sensors\":[],\"untilUnix\":1.5}}|rawCapture.untilUnix|must be an integer >= 0"
                + " (Unix seconds)",
        "{\"rawCapture\":{\"sensors\":[],\"rate\":100}}|rawCapture.rate|unknown field",
        "{\"rawCapture\":null}|rawCapture|must not be null",
    })
    void anInvalidRequestIsRejectedWithItsReasonAndTheOldOneStays(String state, String path, String reason) {
        CollarConfig running = C.withRawCapture(new RawCapture(Set.of(RawSensor.IMU), T + 60));
        ConfigChange ch = ConfigDelta.applyDelta(running, delta(state));
        assertEquals(Map.of(path, reason), ch.rejected());
        assertEquals(running, ch.config());
        assertTrue(ch.applied().isEmpty());
    }

    @Test
    void aPartialDeltaKeepsTheOtherFieldAndAPastUntilStopsTheCapture() {
        CollarConfig running = C.withRawCapture(new RawCapture(Set.of(RawSensor.IMU), T + 60));
        RawCapture longer = ConfigDelta.applyDelta(running, delta("{\"rawCapture\":{\"untilUnix\":" + (T + 3600)
                + "}}")).config().rawCapture();
        assertEquals(new RawCapture(Set.of(RawSensor.IMU), T + 3600), longer);
        RawCapture stopped = ConfigDelta.applyDelta(running, delta("{\"rawCapture\":{\"untilUnix\":0}}"))
                .config().rawCapture();
        assertFalse(stopped.inForceAt(T));
        RawCapture none = ConfigDelta.applyDelta(running, delta("{\"rawCapture\":{\"sensors\":[]}}"))
                .config().rawCapture();
        assertFalse(none.inForceAt(T));
    }

    @Test
    void aRequestInForceNeedsTheDocumentsTimestampButTheDefaultRoundTrips() {
        ConfigChange noTimestamp = ConfigDelta.applyDelta(C, "{\"state\":{\"rawCapture\":{\"sensors\":[\"ppg\"],"
                + "\"untilUnix\":" + (T + 60) + "}},\"version\":4}");
        assertEquals(Map.of("rawCapture.untilUnix", "cannot be checked: the document has no timestamp"),
                noTimestamp.rejected());
        assertEquals(C, CollarConfig.fromJson(C.toJson()));
        assertEquals("{\"sensors\":[],\"untilUnix\":0}", C.toJson().get("rawCapture").toString());
    }
}
