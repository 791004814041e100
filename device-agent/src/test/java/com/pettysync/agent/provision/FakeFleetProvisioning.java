package com.pettysync.agent.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.contract.json.JsonTrees;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * AWS IoT fleet provisioning by claim as a {@link BrokerSession} supplier: answers CreateCertificateFromCsr (parses
 * and checks the CSR with BouncyCastle, issues a certificate for its key from a throw-away CA) and RegisterThing
 * (checks the ownership token: known, unused, issued to this connection) on the accepted/rejected topics, the way
 * AWS does — unless the test scripted a rejection, silence, a wrong certificate or a refused connect. Replies arrive
 * synchronously inside {@code publish}, as the reply to a publish would arrive before the next wait.
 */
final class FakeFleetProvisioning implements Supplier<BrokerSession> {
    /** What the fake does with the next request of a kind. */
    sealed interface Answer permits Accept, Reject, Silence, WrongKey {
    }

    record Accept() implements Answer {
    }

    record Reject(int statusCode, String errorCode, String errorMessage) implements Answer {
    }

    record Silence() implements Answer {
    }

    /** A certificate for another key than the CSR's (a reply meant for someone else). */
    record WrongKey() implements Answer {
    }

    record Publish(String topic, String payload) {
    }

    final String template;
    final Queue<Answer> csrAnswers = new ArrayDeque<>();
    final Queue<Answer> registerAnswers = new ArrayDeque<>();
    /** Connect attempts to refuse, with {@code credentialsRefused} set (a revoked or expired claim certificate). */
    int refuseConnects;
    /** Publishes to answer with PUBACK 0x87 (not authorized) and nothing else, as for a claim policy without them. */
    int refusePublishes;
    final List<Session> sessions = Collections.synchronizedList(new ArrayList<>());
    final List<PKCS10CertificationRequest> csrs = new ArrayList<>();
    final List<Map<String, String>> registeredParameters = new ArrayList<>();
    final Set<String> usedTokens = new HashSet<>();
    final KeyPair ca;
    private int serial;

    FakeFleetProvisioning(String template) throws Exception {
        this.template = template;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        this.ca = g.generateKeyPair();
    }

    @Override
    public BrokerSession get() {
        Session s = new Session();
        sessions.add(s);
        return s;
    }

    final class Session implements BrokerSession {
        Listener listener;
        boolean connected;
        boolean closed;
        final List<String> subscriptions = new ArrayList<>();
        final List<Publish> publishes = new ArrayList<>();
        /** Tokens issued on this connection: AWS answers, and accepts the token, on the connection that asked. */
        final Set<String> tokens = new HashSet<>();

        @Override
        public void connect(Listener l) throws BrokerException {
            if (refuseConnects > 0) {
                refuseConnects--;
                throw new BrokerException("connect failed: reason 135 (Not authorized)", null, true);
            }
            listener = l;
            connected = true;
        }

        @Override
        public void subscribe(List<String> topicFilters) throws BrokerException {
            if (!connected) {
                throw new BrokerException("not connected (fake)");
            }
            subscriptions.addAll(topicFilters);
        }

        @Override
        public void publish(long token, String topic, byte[] payload) throws BrokerException {
            if (!connected || closed) {
                throw new BrokerException("not connected (fake)");
            }
            String text = new String(payload, java.nio.charset.StandardCharsets.UTF_8);
            publishes.add(new Publish(topic, text));
            if (refusePublishes > 0) {
                refusePublishes--;
                listener.published(token, 0x87, "Not authorized");
                return;
            }
            listener.published(token, 0, null);
            try {
                JsonNode request = JsonTrees.read(payload);
                if (topic.equals(FleetProvisioningApi.CREATE_FROM_CSR)) {
                    createFromCsr(request);
                } else if (topic.equals(FleetProvisioningApi.provisionTopic(template))) {
                    register(request);
                }
            } catch (Exception e) {
                throw new IllegalStateException("fake AWS failed", e);
            }
        }

        private void createFromCsr(JsonNode request) throws Exception {
            requireSubscribed(FleetProvisioningApi.CREATE_FROM_CSR);
            Answer a = csrAnswers.isEmpty() ? new Accept() : csrAnswers.poll();
            String reply = FleetProvisioningApi.CREATE_FROM_CSR;
            switch (a) {
                case Silence s -> {
                }
                case Reject r -> send(FleetProvisioningApi.rejected(reply), rejection(r));
                case Accept ok -> send(FleetProvisioningApi.accepted(reply), issue(request, null));
                case WrongKey w -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    send(FleetProvisioningApi.accepted(reply), issue(request, g.generateKeyPair().getPublic()));
                }
            }
        }

        private ObjectNode issue(JsonNode request, PublicKey other) throws Exception {
            String pem = request.path("certificateSigningRequest").asText();
            PKCS10CertificationRequest csr;
            try (PEMParser p = new PEMParser(new StringReader(pem))) {
                csr = (PKCS10CertificationRequest) p.readObject();
            }
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(csr.getSubjectPublicKeyInfo()))) {
                throw new IllegalStateException("CSR signature invalid");
            }
            csrs.add(csr);
            PublicKey key = other != null ? other : new JcaPKCS10CertificationRequest(csr).getPublicKey();
            Instant now = Instant.now();
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                    new X500Name("CN=Fake Amazon CA"), BigInteger.valueOf(++serial), Date.from(now.minus(1,
                            ChronoUnit.HOURS)), Date.from(now.plus(3650, ChronoUnit.DAYS)),
                    new X500Name("CN=AWS IoT Certificate"), key)
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
            StringWriter w = new StringWriter();
            try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
                pw.writeObject(cert);
            }
            String token = "secret-token-" + serial + "-" + HexFormat.of().formatHex(new byte[] {(byte) serial});
            tokens.add(token);
            ObjectNode o = JsonTrees.object();
            o.put("certificateId", HexFormat.of().formatHex(cert.getSerialNumber().toByteArray()) + "cafe");
            o.put("certificatePem", w.toString());
            o.put("certificateOwnershipToken", token);
            return o;
        }

        private void register(JsonNode request) {
            String provision = FleetProvisioningApi.provisionTopic(template);
            requireSubscribed(provision);
            Answer a = registerAnswers.isEmpty() ? new Accept() : registerAnswers.poll();
            String token = request.path("certificateOwnershipToken").asText();
            switch (a) {
                case Silence s -> {
                }
                case Reject r -> send(FleetProvisioningApi.rejected(provision), rejection(r));
                case Accept ok -> {
                    if (!tokens.contains(token) || !usedTokens.add(token)) {
                        send(FleetProvisioningApi.rejected(provision), rejection(new Reject(400,
                                "InvalidCertificateOwnershipToken", "unknown or used token " + token)));
                        return;
                    }
                    Map<String, String> params = new java.util.LinkedHashMap<>();
                    request.path("parameters").fields().forEachRemaining(e -> params.put(e.getKey(),
                            e.getValue().asText()));
                    registeredParameters.add(params);
                    ObjectNode o = JsonTrees.object();
                    o.putObject("deviceConfiguration").put("fallbackUrl", "https://example.com/collar");
                    o.put("thingName", "collar-" + params.get("SerialNumber"));
                    send(FleetProvisioningApi.accepted(provision), o);
                }
                case WrongKey w -> throw new IllegalStateException("not an answer to RegisterThing");
            }
        }

        private void requireSubscribed(String requestTopic) {
            if (!subscriptions.contains(FleetProvisioningApi.accepted(requestTopic))
                    || !subscriptions.contains(FleetProvisioningApi.rejected(requestTopic))) {
                throw new IllegalStateException("request before subscribing to its replies: " + requestTopic);
            }
        }

        private void send(String topic, ObjectNode body) {
            listener.message(topic, JsonTrees.bytes(body));
        }

        @Override
        public boolean isConnected() {
            return connected && !closed;
        }

        @Override
        public void close() {
            closed = true;
            connected = false;
        }
    }

    private static ObjectNode rejection(Reject r) {
        ObjectNode o = JsonTrees.object();
        o.put("statusCode", r.statusCode());
        o.put("errorCode", r.errorCode());
        o.put("errorMessage", r.errorMessage());
        return o;
    }
}
