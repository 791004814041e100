package com.pettysync.agent.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * HiveMQ CE, embedded in the test JVM, on a loopback TLS listener that requires a client certificate from the
 * {@link TestPki} CA. An embedded extension lets every client in, records every inbound publish (topic, client,
 * payload) before it is acknowledged, and can answer publishes with a chosen PUBACK reason code.
 */
public final class TestBroker implements AutoCloseable {
    public record Received(String clientId, String topic, byte[] payload) {
    }

    public final List<Received> received = new CopyOnWriteArrayList<>();
    /** A CONNECT as the broker received it. */
    public record Connect(String clientId, int keepAliveS) {
    }

    /** Every CONNECT, in order. */
    public final List<Connect> connects = new CopyOnWriteArrayList<>();
    /** Returns a reason code to refuse a publish (its topic), or null to accept it. */
    public volatile Function<String, AckReasonCode> refuse = topic -> null;

    private final Path root;
    private final TestPki pki;
    public final int port;
    private EmbeddedHiveMQ hivemq;

    public TestBroker(Path root, TestPki pki) throws IOException {
        this.root = root;
        this.pki = pki;
        this.port = listenPort();
        Path conf = Files.createDirectories(root.resolve("conf"));
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("extensions"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>127.0.0.1</bind-address>
                      <tls>
                        <keystore><path>%s</path><password>%s</password><private-key-password>%s</private-key-password></keystore>
                        <truststore><path>%s</path><password>%s</password></truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, pki.serverKeystore, TestPki.STORE_PASSWORD, TestPki.STORE_PASSWORD,
                pki.serverTruststore, TestPki.STORE_PASSWORD));
    }

    /**
     * A free loopback port above Linux's default ephemeral range (32768–60999): the broker binds it only when it
     * starts, and a port inside that range could meanwhile become the source port of any outgoing connection on
     * the machine (the simulator's {@code ListenPorts} reads the machine's range; this test fixture assumes the
     * default).
     */
    private static int listenPort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 64; i++) {
            int candidate = 61000 + random.nextInt(65535 - 61000 + 1);
            try (ServerSocket s = new ServerSocket(candidate, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // another listener has it: draw again
            }
        }
        throw new IOException("no free loopback port in 61000–65535 after 64 tries");
    }

    /** Starts (or restarts) the broker on the same port and folders. */
    public TestBroker start() {
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                Services.securityRegistry().setAuthenticatorProvider(
                        input -> (SimpleAuthenticator) (ci, co) -> {
                            connects.add(new Connect(ci.getClientInformation().getClientId(),
                                    ci.getConnectPacket().getKeepAlive()));
                            co.authenticateSuccessfully();
                        });
                PublishInboundInterceptor record = (pin, pout) -> {
                    String topic = pin.getPublishPacket().getTopic();
                    AckReasonCode code = refuse.apply(topic);
                    if (code != null) {
                        pout.preventPublishDelivery(code, "refused by test");
                        return;
                    }
                    byte[] bytes = pin.getPublishPacket().getPayload().map(TestBroker::bytes).orElse(new byte[0]);
                    received.add(new Received(pin.getClientInformation().getClientId(), topic, bytes));
                };
                Services.initializerRegistry().setClientInitializer(
                        (input, ctx) -> ctx.addPublishInboundInterceptor(record));
            }

            @Override
            public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
            }
        };
        hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(root.resolve("conf"))
                .withDataFolder(root.resolve("data")).withExtensionsFolder(root.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("pettysync-test").withName("test")
                        .withVersion("1").withAuthor("pettysync").withPriority(0).withStartPriority(1000)
                        .withExtensionMain(main).build())
                .build();
        hivemq.start().join();
        return this;
    }

    public void stop() {
        if (hivemq != null) {
            hivemq.stop().join();
            try {
                hivemq.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            hivemq = null;
        }
    }

    public String uri() {
        return "ssl://localhost:" + port;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public void close() {
        stop();
    }
}
