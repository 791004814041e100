package com.pettysync.simulator.cloud;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.pettysync.provisioning.ca.IssuedCredential;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/** A real MQTT 5 client (HiveMQ MQTT client) over TLS on loopback, with blocking helpers for tests. */
final class MqttTestClient implements AutoCloseable {
    static final long TIMEOUT_S = 20;

    final Mqtt5AsyncClient client;
    final BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
    private final java.util.Map<String, BlockingQueue<String>> byTopic = new java.util.concurrent.ConcurrentHashMap<>();
    final CompletableFuture<Throwable> disconnected = new CompletableFuture<>();

    MqttTestClient(LocalIotCore cloud, String clientId, IssuedCredential credential, TrustManagerFactory trust) {
        com.hivemq.client.mqtt.MqttClientSslConfigBuilder ssl = MqttClientSslConfig.builder().trustManagerFactory(trust);
        if (credential != null) {
            ssl = ssl.keyManagerFactory(credential.keyManagerFactory());
        }
        client = MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost(cloud.endpoint())
                .serverPort(cloud.port()).sslConfig(ssl.build())
                .addDisconnectedListener(ctx -> disconnected.complete(ctx.getCause()))
                .buildAsync();
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, p -> {
            received.add(p);
            queue(p.getTopic().toString()).add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        });
    }

    static MqttTestClient of(LocalIotCore cloud, String clientId, IssuedCredential credential) {
        return new MqttTestClient(cloud, clientId, credential, cloud.certificateAuthority().trustManagerFactory());
    }

    Mqtt5ConnAck connect() throws Exception {
        return client.connectWith().cleanStart(true).keepAlive(60).send().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    Mqtt5PublishResult publish(String topic, byte[] payload, MqttQos qos) throws Exception {
        return client.publishWith().topic(topic).qos(qos).payload(payload).send().get(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** The PUBACK reason code of a QoS 1 publish. */
    Mqtt5PubAckReasonCode publish(String topic, byte[] payload) throws Exception {
        try {
            Mqtt5PublishResult r = publish(topic, payload, MqttQos.AT_LEAST_ONCE);
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException p) {
                return p.getMqttMessage().getReasonCode();
            }
            if (e.getCause() instanceof com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException x
                    && x.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException d) {
                throw new AssertionError("disconnected: " + d.getMqttMessage(), e);
            }
            throw e;
        }
    }

    Mqtt5PubAckReasonCode publish(String topic, String json) throws Exception {
        return publish(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    /** The SUBACK reason code of one subscription. */
    Mqtt5SubAckReasonCode subscribe(String filter, MqttQos qos) throws Exception {
        try {
            Mqtt5SubAck ack = client.subscribeWith().topicFilter(filter).qos(qos).send().get(TIMEOUT_S,
                    TimeUnit.SECONDS);
            return ack.getReasonCodes().get(0);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException s) {
                return s.getMqttMessage().getReasonCodes().get(0);
            }
            throw e;
        }
    }

    Mqtt5SubAckReasonCode subscribe(String filter) throws Exception {
        return subscribe(filter, MqttQos.AT_LEAST_ONCE);
    }

    /** The next message received on {@code topic} (in arrival order per topic); fails after the timeout. */
    String next(String topic) throws Exception {
        String m = queue(topic).poll(TIMEOUT_S, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message on " + topic + " within " + TIMEOUT_S + " s");
        }
        return m;
    }

    private BlockingQueue<String> queue(String topic) {
        return byTopic.computeIfAbsent(topic, k -> new LinkedBlockingQueue<>());
    }

    @Override
    public void close() {
        try {
            if (client.getState().isConnected()) {
                client.disconnect().get(TIMEOUT_S, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // already gone
        }
    }
}
