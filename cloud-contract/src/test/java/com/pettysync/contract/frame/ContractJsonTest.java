package com.pettysync.contract.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pettysync.contract.cli.FrameCommands;
import com.pettysync.contract.telemetry.TelemetrySummary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContractJsonTest {

    static final String EXAMPLE = ContractJson.toJson(FrameCommands.example());

    @org.junit.jupiter.api.Test
    void theSpecExampleReadsBackAndAbsentSectionsStayAbsent() {
        assertEquals(FrameCommands.example(), ContractJson.parseTelemetry(EXAMPLE));
        assertEquals("{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3}", ContractJson.toJson(TelemetrySummary.of(1, 2, 3)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "not json|json",
        "''|json",
        "[1]|json",
        "{\"v\":1,\"seq\":1,\"t0\":2}|dur",
        "{\"v\":2,\"seq\":1,\"t0\":2,\"dur\":3}|v",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3,\"x\":1}|x",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3,\"hr\":null}|hr",
        "{\"v\":1,\"seq\":1.5,\"t0\":2,\"dur\":3}|seq",
        "{\"v\":1,\"seq\":\"1\",\"t0\":2,\"dur\":3}|seq",
        "{\"v\":1,\"seq\":1,\"seq\":2,\"t0\":2,\"dur\":3}|json",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3} {}|json",
        "{\"v\":1,\"seq\":99999999999999999999,\"t0\":2,\"dur\":3}|seq",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3,\"fw\":{\"build\":1}}|fw.model",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3,\"mood\":{\"mood\":\"sleepy\",\"conf_pct\":1,\"barks\":0,\"growls\":0,\"whines\":0,\"howls\":0}}|mood.mood",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3,\"hr\":{\"mean_bpm\":10,\"min_bpm\":10,\"max_bpm\":10,\"rmssd_ms\":0,\"quality_pct\":0}}|hr[0]",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":300,\"loc\":{\"lat_e7\":0,\"lon_e7\":0,\"hacc_dm\":0,\"age_s\":0,\"trail\":[{\"lat_e5\":0,\"lon_e5\":0}]}}|loc.trail[0].t",
        "{\"v\":1,\"seq\":1,\"t0\":2,\"dur\":3,\"dev\":{\"battery_pct\":1,\"battery_mv\":1,\"temp_dc\":1,\"rssi_dbm\":-1,\"backlog\":0,\"flags\":[\"charging\",\"nope\"]}}|dev.flags[1]"})
    void rejectsWrongShapesWithAPath(String json, String path) {
        assertEquals(path, assertThrows(ContractViolation.class, () -> ContractJson.parseTelemetry(json)).path());
    }
}
