package com.pettysync.simulator.cloud.broker;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes the embedded HiveMQ's configuration folder: {@code config.xml}, a quiet {@code logback.xml}, and the
 * server key store / client trust store made from the local CA.
 *
 * <pre>
 * one listener: TLS on {bind}:{port}, TLSv1.3 + TLSv1.2, client certificate OPTIONAL (a client without one still
 *   gets a CONNACK — 0x87 from the authenticator — instead of a bare handshake failure), trust = the local root only
 * mqtt: maximum QoS 1 (AWS IoT Core has no QoS 2: CONNACK announces Maximum QoS 1, a QoS 2 PUBLISH is answered
 *   with DISCONNECT 0x9B, a QoS 2 subscription is granted QoS 1); keep-alive at most 1200 s (AWS's maximum)
 * restrictions: client ID at most 128 characters (AWS); persistence in memory (the local cloud keeps no MQTT
 *   sessions across restarts, only the frame store)
 * </pre>
 * The key store password is random per start and never leaves the folder.
 */
final class BrokerConfiguration {
    private BrokerConfiguration() {
    }

    static void write(Path conf, String bindAddress, int port, IssuedCredential server,
            LocalCertificateAuthority ca) throws IOException {
        Files.createDirectories(conf);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path keyStore = conf.resolve("server.p12");
        Path trustStore = conf.resolve("trust.p12");
        server.writePkcs12(keyStore, "server", password.toCharArray());
        ca.writeTrustStore(trustStore, password.toCharArray());
        String xml = """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tls-tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <name>pettysync-local-iot-core</name>
                      <tls>
                        <keystore>
                          <path>%s</path>
                          <password>%s</password>
                          <private-key-password>%s</private-key-password>
                        </keystore>
                        <truststore>
                          <path>%s</path>
                          <password>%s</password>
                        </truststore>
                        <protocols><protocol>TLSv1.3</protocol><protocol>TLSv1.2</protocol></protocols>
                        <client-authentication-mode>OPTIONAL</client-authentication-mode>
                      </tls>
                    </tls-tcp-listener>
                  </listeners>
                  <mqtt>
                    <quality-of-service><max-qos>1</max-qos></quality-of-service>
                    <keep-alive><max-keep-alive>1200</max-keep-alive><allow-unlimited>false</allow-unlimited></keep-alive>
                  </mqtt>
                  <restrictions><max-client-id-length>128</max-client-id-length></restrictions>
                  <security><allow-empty-client-id><enabled>false</enabled></allow-empty-client-id></security>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                  <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(port, bindAddress, keyStore.toAbsolutePath(), password, password,
                trustStore.toAbsolutePath(), password);
        Files.writeString(conf.resolve("config.xml"), xml);
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} hivemq %-5level %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="CONSOLE"/></root>
                  <logger name="com.hivemq" level="WARN"/>
                  <logger name="jetbrains.exodus" level="OFF"/>
                </configuration>
                """);
    }
}
