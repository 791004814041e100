package com.pettysync.simulator.cloud.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** How replies are written: JSON objects with AWS's member names, timestamps as the rest-json protocol sends them. */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A timestamp: epoch seconds with milliseconds (rest-json's default timestamp format). */
    static BigDecimal time(Instant t) {
        return BigDecimal.valueOf(t.toEpochMilli(), 3);
    }

    static ObjectNode strings(Map<String, String> map) {
        ObjectNode o = object();
        map.forEach(o::put);
        return o;
    }
}
