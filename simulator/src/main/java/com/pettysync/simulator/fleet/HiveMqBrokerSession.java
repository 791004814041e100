package com.pettysync.simulator.fleet;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAck;
import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The agent's {@link BrokerSession} over the HiveMQ MQTT client: non-blocking, and every client of the process
 * shares the HiveMQ client's one Netty event loop group, so thousands of virtual collars need no thread each (Paho
 * runs three or more threads per client). An optional local bind address spreads connections over several loopback
 * source addresses, past one address's ephemeral-port range.
 *
 * <p>Contract as {@link BrokerSession}: one connection per instance, no automatic reconnect (the agent's
 * {@code Uplink} decides), outcomes on the listener from the event loop — the listener must not block. A PUBACK with
 * an error code is reported through {@link BrokerSession.Listener#published} with that code, like a successful one;
 * {@link BrokerSession.Listener#publishFailed} means no PUBACK at all.
 *
 * <p><b>Reconnects resume TLS.</b> {@link #next()} makes the session for the collar's next connection on the same
 * MQTT client, and so the same TLS context (the HiveMQ client builds one per client and keeps it): its session cache
 * holds the broker's TLS 1.3 ticket, so the next handshake is a resumption — no certificates sent or checked, no
 * signatures, one key exchange — as a collar process that keeps its TLS context across outages would do. Only the
 * newest session of a chain owns the client: closing an older one does not touch the newer connection. A session
 * whose client is still connected or connecting gets a fresh client (a full handshake) instead of sharing it.
 */
public final class HiveMqBrokerSession implements BrokerSession {
    /**
     * Where and as whom to connect.
     *
     * @param host        broker host name (the server certificate must name it)
     * @param port        TLS port
     * @param clientId    client ID (= the thing name)
     * @param keys        the collar's certificate and key
     * @param trust       the CA(s) the broker's certificate chains to
     * @param keepAlive   MQTT keep-alive
     * @param timeout     bound for connect, subscribe and disconnect
     * @param localBind   local source address, or null for the system's choice
     */
    public record Options(String host, int port, String clientId, KeyManagerFactory keys, TrustManagerFactory trust,
            Duration keepAlive, Duration timeout, InetSocketAddress localBind) {
        public Options {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(trust, "trust");
            Objects.requireNonNull(keepAlive, "keepAlive");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** One MQTT client (and its TLS context) shared by a chain of sessions; the newest session owns it. */
    private static final class SharedClient {
        final Mqtt5AsyncClient client;
        volatile HiveMqBrokerSession owner;

        SharedClient(Options options) {
            MqttClientSslConfig ssl = MqttClientSslConfig.builder().trustManagerFactory(options.trust())
                    .keyManagerFactory(options.keys()).build();
            var transport = MqttClientTransportConfig.builder().serverHost(options.host())
                    .serverPort(options.port()).sslConfig(ssl);
            if (options.localBind() != null) {
                transport = transport.localAddress(options.localBind());
            }
            client = MqttClient.builder().useMqttVersion5().identifier(options.clientId())
                    .transportConfig(transport.build())
                    .addDisconnectedListener(ctx -> {
                        HiveMqBrokerSession s = owner;
                        if (s != null) {
                            s.disconnected(ctx.getCause());
                        }
                    })
                    .buildAsync();
            client.publishes(MqttGlobalPublishFilter.ALL, p -> {
                HiveMqBrokerSession s = owner;
                Listener l = s == null ? null : s.listener;
                if (l != null) {
                    l.message(p.getTopic().toString(), p.getPayloadAsBytes());
                }
            });
        }
    }

    private final Options options;
    private final SharedClient shared;
    private final Mqtt5AsyncClient client;
    private volatile Listener listener;
    private volatile boolean connected;

    public HiveMqBrokerSession(Options options) {
        this(options, new SharedClient(options));
    }

    private HiveMqBrokerSession(Options options, SharedClient shared) {
        this.options = options;
        this.shared = shared;
        this.client = shared.client;
        shared.owner = this;
    }

    /**
     * The session for this collar's next connection: on the same client and TLS context (a resumed handshake) when
     * this session's connection has ended, else on a new client. From then on this session no longer owns the
     * shared client: its {@link #close()} leaves the newer connection alone.
     */
    public HiveMqBrokerSession next() {
        if (shared.owner == this && client.getState() == com.hivemq.client.mqtt.MqttClientState.DISCONNECTED) {
            listener = null;
            connected = false;
            return new HiveMqBrokerSession(options, shared);
        }
        return new HiveMqBrokerSession(options);
    }

    private void disconnected(Throwable cause) {
        Listener l = listener;
        if (connected && l != null) {
            connected = false;
            l.connectionLost(cause);
        }
    }

    private boolean owns() {
        return shared.owner == this;
    }

    @Override
    public void connect(Listener listener) throws BrokerException {
        try {
            connectAsync(listener).get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new BrokerException("connect to " + options.host() + ":" + options.port() + " as "
                    + options.clientId() + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            if (owns()) {
                client.disconnect();
            }
            throw new BrokerException("connect to " + options.host() + ":" + options.port() + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while connecting", e);
        }
    }

    /**
     * Starts connecting without blocking (the fleet's shared scheduler must never wait for a CONNACK); the future
     * completes on the event loop with the CONNACK, or exceptionally (also after {@code timeout}). Once it completed
     * normally the session is connected and {@code listener} gets its outcomes, as after {@link #connect}.
     */
    public java.util.concurrent.CompletableFuture<Void> connectAsync(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
        if (!owns()) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("this session was superseded by the collar's next one"));
        }
        return client.connectWith().cleanStart(true).keepAlive((int) options.keepAlive().toSeconds()).send()
                .orTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ack, error) -> {
                    if (error == null) {
                        connected = true;
                        if (!client.getState().isConnected()) {
                            // lost between CONNACK and here: the disconnected listener saw connected == false and
                            // stayed silent, so report it now (else the uplink would hold a dead session)
                            Listener l = this.listener;
                            connected = false;
                            if (l != null) {
                                l.connectionLost(new java.io.IOException("connection lost right after CONNACK"));
                            }
                        }
                    } else if (error instanceof TimeoutException && owns()) {
                        client.disconnect();
                    }
                })
                .thenApply(ack -> (Void) null);
    }

    @Override
    public void publish(long token, String topic, byte[] payload) throws BrokerException {
        Listener l = listener;
        if (l == null || !connected) {
            throw new BrokerException("not connected");
        }
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                .whenComplete((result, error) -> {
                    if (error instanceof Mqtt5PubAckException refused) {
                        Mqtt5PubAck ack = refused.getMqttMessage();
                        l.published(token, ack.getReasonCode().getCode(),
                                ack.getReasonString().map(Object::toString).orElse(""));
                    } else if (error != null) {
                        l.publishFailed(token, error);
                    } else if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
                        Mqtt5PubAck ack = q1.getPubAck();
                        l.published(token, ack.getReasonCode().getCode(),
                                ack.getReasonString().map(Object::toString).orElse(""));
                    } else {
                        l.publishFailed(token, new IllegalStateException("no PUBACK for a QoS 1 publish"));
                    }
                });
    }

    @Override
    public void subscribe(List<String> topicFilters) throws BrokerException {
        for (String filter : topicFilters) {
            try {
                var ack = client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                        .get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
                if (ack.getReasonCodes().get(0).isError()) {
                    throw new BrokerException("subscription to " + filter + " refused: " + ack.getReasonCodes().get(0));
                }
            } catch (ExecutionException e) {
                throw new BrokerException("subscription to " + filter + " failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new BrokerException("subscription to " + filter + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerException("interrupted while subscribing", e);
            }
        }
    }

    @Override
    public boolean isConnected() {
        return owns() && client.getState().isConnected();
    }

    @Override
    public void close() {
        connected = false;
        listener = null;
        try {
            if (owns() && client.getState().isConnectedOrReconnect()) {
                client.disconnect().get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            // closing is best effort and never throws
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
