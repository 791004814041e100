package com.pettysync.simulator.cloud;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pettysync.contract.telemetry.TelemetryFrameCodec;
import com.pettysync.contract.telemetry.TelemetrySummary;
import com.pettysync.provisioning.ca.IssuedCredential;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's MQTT client library (Eclipse Paho MQTT v5) against the local IoT Core: a second, independent client
 * implementation sees the same cloud — mutual TLS from PEM files, PUBACK reason codes, $aws request/reply topics.
 */
class PahoInteropTest {
    @TempDir
    Path dir;

    @Test
    void pahoCollarPublishesGetsReasonCodesAndTalksToItsShadow() throws Exception {
        try (LocalIotCore cloud = LocalIotCore.builder().directory(dir.resolve("cloud")).build().start()) {
            IssuedCredential collar = cloud.issueCollar("collar-paho");
            collar.writeTo(dir.resolve("bundle"));
            IssuedCredential fromDisk = IssuedCredential.readFrom(dir.resolve("bundle"));
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(fromDisk.keyManagerFactory().getKeyManagers(),
                    cloud.certificateAuthority().trustManagerFactory().getTrustManagers(), null);
            MqttAsyncClient paho = new MqttAsyncClient("ssl://localhost:" + cloud.port(), "collar-paho",
                    new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setSocketFactory(tls.getSocketFactory());
            options.setCleanStart(true);
            options.setKeepAliveInterval(1200);
            CompletableFuture<String> reply = new CompletableFuture<>();
            paho.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage m) {
                    reply.complete(new String(m.getPayload(), StandardCharsets.UTF_8));
                }

                @Override
                public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) {
                }

                @Override
                public void mqttErrorOccurred(MqttException e) {
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                }

                @Override
                public void connectComplete(boolean reconnect, String uri) {
                }

                @Override
                public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) {
                }
            });
            try {
                paho.connect(options).waitForCompletion(20_000);
                String base = "$aws/things/collar-paho/shadow/name/config";
                paho.subscribe(base + "/get/rejected", 1).waitForCompletion(20_000);

                byte[] frame = TelemetryFrameCodec.encode(TelemetrySummary.of(0, 1767225600L, 300));
                IMqttToken ok = paho.publish("pettysync/v1/collar-paho/telemetry", new MqttMessage(frame, 1, false,
                        null));
                ok.waitForCompletion(20_000);
                assertEquals(0x10, ok.getReasonCodes()[0], "accepted, no matching subscribers");
                assertArrayEquals(frame, cloud.sink().telemetryFrame("collar-paho", 0).orElseThrow());

                IMqttToken denied = paho.publish("pettysync/v1/collar-other/telemetry", new MqttMessage(frame, 1,
                        false, null));
                denied.waitForCompletion(20_000);
                // Paho completes the token normally: a refused publish shows only in the PUBACK reason code
                assertEquals(0x87, denied.getReasonCodes()[0]);

                paho.publish(base + "/get", new MqttMessage("{\"clientToken\":\"p1\"}".getBytes(
                        StandardCharsets.UTF_8), 1, false, null)).waitForCompletion(20_000);
                String rejected = reply.get(20, TimeUnit.SECONDS);
                assertEquals(true, rejected.contains("\"code\":404") && rejected.contains("\"clientToken\":\"p1\""),
                        rejected);
            } finally {
                if (paho.isConnected()) {
                    paho.disconnect().waitForCompletion(20_000);
                }
                paho.close();
            }
        }
    }
}
