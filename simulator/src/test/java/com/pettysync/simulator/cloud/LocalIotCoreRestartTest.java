package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.simulator.cloud.ingest.CollarCounts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker outage: clients are dropped, the port, CA, services and frame store stay. */
class LocalIotCoreRestartTest {
    @TempDir
    Path dir;

    @Test
    void storeShadowsAndCertificatesSurviveABrokerRestart() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir).clock(clock).build().start()) {
            int port = cloud.port();
            IssuedCredential collar = cloud.issueCollar("collar-r");
            String topic = "pettysync/v1/collar-r/telemetry";
            try (MqttTestClient c = MqttTestClient.of(cloud, "collar-r", collar)) {
                c.connect();
                assertEquals(Mqtt5PubAckReasonCode.NO_MATCHING_SUBSCRIBERS, c.publish(topic, frame(0)));
                cloud.updateShadow("collar-r", "config", "{\"state\":{\"desired\":{\"lostMode\":true}}}");
                cloud.restart();
                assertNotNull(c.disconnected.get(MqttTestClient.TIMEOUT_S, TimeUnit.SECONDS));
            }
            assertEquals(port, cloud.port());
            try (MqttTestClient again = MqttTestClient.of(cloud, "collar-r", collar)) {
                again.connect();
                // the collar re-sends the frame it is unsure of, then the next one
                again.publish(topic, frame(0));
                again.publish(topic, frame(1));
                String base = "$aws/things/collar-r/shadow/name/config";
                again.subscribe(base + "/get/accepted");
                again.publish(base + "/get", "{}");
                assertEquals(true, new ObjectMapper().readTree(again.next(base + "/get/accepted"))
                        .at("/state/delta/lostMode").asBoolean());
            }
            assertEquals(new CollarCounts("collar-r", 2, 0, 0, 1, 0, 0, 0), cloud.sink().counts("collar-r"));
        }
    }

    private static byte[] frame(long seq) {
        return TelemetryFrameCodec.encode(TelemetrySummary.of(seq, 1777629600L + seq * 300, 300));
    }
}
