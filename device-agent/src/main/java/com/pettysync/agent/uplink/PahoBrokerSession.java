package com.pettysync.agent.uplink;

import java.time.Duration;
import java.util.List;
import javax.net.SocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.tinylog.Logger;

/**
 * A {@link BrokerSession} on Eclipse Paho MQTT v5 (1.2.5).
 *
 * <p>Settings, and why: in-memory persistence (the outbox is the durable store; Paho's file persistence would
 * write every publish to the SD card a second time); automatic reconnect off (the {@link Uplink} drives
 * reconnects with its own back-off; Paho's ignores its delay setting and leaks a timer thread); clean start with
 * session expiry 0 (nothing is kept at the broker between connections; unacknowledged frames are re-sent from
 * the outbox); one {@link MqttAsyncClient} per session, closed with the session, so a reconnect leaves no thread
 * or socket behind. Subscriptions use the array form of {@code subscribe} with the client-wide callback (Paho
 * 1.2.5's {@code subscribe(MqttSubscription, IMqttMessageListener)} throws IndexOutOfBoundsException).
 */
public final class PahoBrokerSession implements BrokerSession {

    /**
     * @param serverUri      {@code ssl://host:port} (or {@code tcp://} for tests without TLS)
     * @param clientId       the thing name
     * @param socketFactory  from {@link PemTls}; null for {@code tcp://}
     * @param keepAliveS     MQTT keep-alive
     * @param timeout        connect, subscribe and disconnect time limit
     */
    public record Options(String serverUri, String clientId, SocketFactory socketFactory, int keepAliveS,
            Duration timeout) {
    }

    private final Options options;
    private volatile MqttAsyncClient client;
    private volatile boolean closed;
    private volatile Listener listenerRef;

    public PahoBrokerSession(Options options) {
        this.options = options;
    }

    @Override
    public void connect(Listener listener) throws BrokerException {
        listenerRef = listener;
        try {
            MqttAsyncClient c = new MqttAsyncClient(options.serverUri(), options.clientId(), new MemoryPersistence());
            client = c;
            c.setCallback(new MqttCallback() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    if (!closed) {
                        Throwable cause = response.getException();
                        listener.connectionLost(cause != null ? cause
                                : new BrokerException("disconnected by the broker: reason 0x"
                                        + Integer.toHexString(response.getReturnCode())
                                        + (response.getReasonString() == null ? "" : " " + response.getReasonString())));
                    }
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    Logger.warn("MQTT error: {}", Uplink.oneLine(exception));
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    listener.message(topic, message.getPayload());
                }

                @Override
                public void deliveryComplete(IMqttToken token) {
                    // outcomes are reported per publish by its action listener
                }

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {
                }

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {
                }
            });
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setCleanStart(true);
            o.setSessionExpiryInterval(0L);
            o.setAutomaticReconnect(false);
            o.setKeepAliveInterval(options.keepAliveS());
            o.setConnectionTimeout((int) Math.max(1, options.timeout().toSeconds()));
            if (options.socketFactory() != null) {
                o.setSocketFactory(options.socketFactory());
                // host name verification happens in the socket factory (PemTls), together with ALPN
                o.setHttpsHostnameVerificationEnabled(false);
            }
            c.connect(o).waitForCompletion(options.timeout().toMillis());
            if (!c.isConnected()) {
                throw new BrokerException("connect timed out after " + options.timeout().toMillis() + " ms");
            }
        } catch (MqttException e) {
            throw new BrokerException("connect to " + options.serverUri() + " failed: " + describe(e), e,
                    refusesCredentials(e));
        }
    }

    /** CONNACK bad credentials (0x86), not authorized (0x87), banned (0x8A), or a TLS failure in the cause chain. */
    static boolean refusesCredentials(MqttException e) {
        int rc = e.getReasonCode();
        if (rc == 0x86 || rc == 0x87 || rc == 0x8A) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void publish(long token, String topic, byte[] payload) throws BrokerException {
        MqttAsyncClient c = client;
        if (c == null || closed) {
            throw new BrokerException("session closed");
        }
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        m.setRetained(false);
        try {
            c.publish(topic, m, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    int[] codes = t.getReasonCodes();
                    int rc = codes == null || codes.length == 0 ? 0 : codes[0];
                    MqttProperties props = t.getResponseProperties();
                    listener().published(token, rc, props == null ? null : props.getReasonString());
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    int[] codes = t.getReasonCodes();
                    if (codes != null && codes.length > 0 && codes[0] >= MqttReturnCode.RETURN_CODE_UNSPECIFIED_ERROR) {
                        MqttProperties props = t.getResponseProperties();
                        listener().published(token, codes[0], props == null ? null : props.getReasonString());
                    } else if (e instanceof MqttException me && me.getReasonCode() >= 0x80 && me.getReasonCode() < 0x100
                            && c.isConnected()) {
                        listener().published(token, me.getReasonCode(), me.getMessage());
                    } else {
                        listener().publishFailed(token, e);
                    }
                }
            });
        } catch (MqttException e) {
            throw new BrokerException("publish failed: " + describe(e), e);
        }
    }

    private Listener listener() {
        return listenerRef;
    }

    @Override
    public void subscribe(List<String> topicFilters) throws BrokerException {
        MqttAsyncClient c = client;
        if (c == null || closed) {
            throw new BrokerException("session closed");
        }
        MqttSubscription[] subs = topicFilters.stream().map(f -> new MqttSubscription(f, 1))
                .toArray(MqttSubscription[]::new);
        try {
            IMqttToken t = c.subscribe(subs);
            t.waitForCompletion(options.timeout().toMillis());
            int[] codes = t.getReasonCodes();
            if (codes != null) {
                for (int i = 0; i < codes.length; i++) {
                    if (codes[i] >= 0x80) {
                        throw new BrokerException("subscription to " + topicFilters.get(Math.min(i,
                                topicFilters.size() - 1)) + " refused: reason 0x" + Integer.toHexString(codes[i]));
                    }
                }
            }
        } catch (MqttException e) {
            throw new BrokerException("subscribe failed: " + describe(e), e);
        }
    }

    @Override
    public boolean isConnected() {
        MqttAsyncClient c = client;
        return c != null && c.isConnected();
    }

    @Override
    public void close() {
        closed = true;
        MqttAsyncClient c = client;
        client = null;
        if (c == null) {
            return;
        }
        long ms = options.timeout().toMillis();
        try {
            if (c.isConnected()) {
                c.disconnect(ms).waitForCompletion(ms);
            }
        } catch (MqttException | RuntimeException e) {
            Logger.debug("disconnect: {}", Uplink.oneLine(e));
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, ms, false);
            }
        } catch (MqttException | RuntimeException e) {
            Logger.debug("forced disconnect: {}", Uplink.oneLine(e));
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            Logger.debug("close: {}", Uplink.oneLine(e));
        }
    }

    private static String describe(MqttException e) {
        Throwable cause = e.getCause();
        return "reason " + e.getReasonCode() + " (" + e.getMessage() + ")"
                + (cause == null ? "" : ": " + Uplink.oneLine(cause));
    }
}
