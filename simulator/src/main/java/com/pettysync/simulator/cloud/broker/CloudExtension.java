package com.pettysync.simulator.cloud.broker;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.pettysync.agent.uplink.PubackReason;
import com.pettysync.contract.topic.BasicIngestTopic;
import com.pettysync.contract.topic.CollarTopic;
import com.pettysync.contract.topic.DataTopic;
import com.pettysync.contract.topic.RuleName;
import com.pettysync.contract.topic.TopicException;
import com.pettysync.contract.topic.TopicScheme;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.Outbound;
import com.pettysync.simulator.cloud.TokenBucket;
import com.pettysync.simulator.cloud.ingest.GroupCommit;
import com.pettysync.simulator.cloud.ingest.IngestRefused;
import com.pettysync.simulator.cloud.ingest.IngestSink;
import com.pettysync.simulator.cloud.ingest.Stream;
import com.pettysync.simulator.cloud.jobs.JobService;
import com.pettysync.simulator.cloud.provisioning.FleetProvisioningService;
import com.pettysync.simulator.cloud.registry.RegistryException;
import com.pettysync.simulator.cloud.shadow.ShadowService;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tinylog.Logger;

/**
 * The HiveMQ extension that turns the embedded broker into a local AWS IoT Core: certificate authentication, the
 * collar IoT policy, AWS IoT Core's limits, and the shadow, jobs and ingest services on their reserved topics.
 *
 * <p>Connect: decided by {@link ClientAuthorization} — in registry mode the certificate must chain to the local CA,
 * be registered and ACTIVE, and the policies attached to it must allow {@code iot:Connect} for the client ID (the
 * collar policy does so only for the thing the certificate is attached to); in CA-only mode its CN is the thing and
 * the collar policy decides. Otherwise CONNACK 0x87 Not authorized (0x88 Server unavailable when the registry cannot
 * answer). Certificates marked as operator
 * ({@link LocalCertificateAuthority#issueOperator}) get an administrator's policy (any topic) but the same client-ID
 * rule. A registry change that withdraws a certificate ({@link #certificateChanged}) closes its connections with
 * DISCONNECT 0x87.
 *
 * <p>Publish (checked in the inbound interceptor, which HiveMQ runs before any authorizer, so that a refused publish
 * never reaches a service or the sink), in order: payload over 128 KiB → DISCONNECT 0x95 Packet too large; topic over 256 bytes or over 7
 * slashes (Basic Ingest prefix not counted) → PUBACK 0x90 Topic Name invalid; over 100 publishes/s on this
 * connection → PUBACK 0x97 Quota exceeded; not allowed by the policy → PUBACK 0x87 Not authorized. Subscribe:
 * filter over the topic limits → SUBACK 0x8F; not allowed by the policy → SUBACK 0x87. Each refusal is counted in
 * {@link RefusalCounters}. QoS 2: the broker announces Maximum QoS 1 in CONNACK (see {@link BrokerConfiguration}),
 * so a QoS 2 PUBLISH is a protocol error; a QoS 2 subscription is downgraded to QoS 1 here, as AWS IoT Core grants
 * at most QoS 1.
 *
 * <p>Services: a publish to {@code $aws/things/T/shadow/...} or {@code $aws/things/T/jobs/...} is handed to the
 * shadow or jobs service and the replies are published by the broker; a publish to {@code pettysync/v1/T/...} is
 * stored by the ingest sink <em>before</em> its PUBACK and also delivered to subscribers; a publish to
 * {@code $aws/rules/{rule}/...} is stored and never delivered to any subscriber (Basic Ingest).
 *
 * <p>Ingest: the interceptor hands the payload to {@link GroupCommit} and returns at once (the SDK's async output);
 * the PUBACK goes out when the payload's own group commit has committed — a success code means validated and stored
 * (a duplicate or an invalid payload is acknowledged as before: counted, nothing to re-send). Not acknowledged, so the
 * collar keeps the frame and re-sends it: the ingest queue full → PUBACK 0x97 Quota exceeded (the collar backs off);
 * the store failed (the whole group commit rolled back), the writer stopped, or no verdict within
 * {@link #INGEST_TIMEOUT} → PUBACK 0x80. The writer runs while the broker does (started and stopped with the
 * extension; stopping stores what is queued).
 */
final class CloudExtension implements ExtensionMain {
    static final String ROLE_ATTRIBUTE = "pettysync.role";
    static final String OPERATOR = "operator";
    /** AWS IoT Core's payload limit. */
    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    /** How long a publish waits for its group commit before the broker answers PUBACK 0x80 (the collar re-sends). */
    static final Duration INGEST_TIMEOUT = Duration.ofSeconds(30);

    private final ClientAuthorization authorization;
    private final RuleName rule;
    private final Clock clock;
    private final int publishesPerSecond;
    private final ShadowService shadows;
    private final JobService jobs;
    /** Null in CA-only mode (no registry to provision into). */
    private final FleetProvisioningService fleetProvisioning;
    private final IngestSink sink;
    private final RefusalCounters refusals;
    private final Map<String, TokenBucket> rates = new ConcurrentHashMap<>();
    private volatile PublishService publishService;
    private volatile GroupCommit ingest;

    CloudExtension(ClientAuthorization authorization, RuleName rule, Clock clock, int publishesPerSecond,
            ShadowService shadows, JobService jobs, FleetProvisioningService fleetProvisioning, IngestSink sink,
            RefusalCounters refusals) {
        this.fleetProvisioning = fleetProvisioning;
        this.authorization = authorization;
        this.rule = rule;
        this.clock = clock;
        this.publishesPerSecond = publishesPerSecond;
        this.shadows = shadows;
        this.jobs = jobs;
        this.sink = sink;
        this.refusals = refusals;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        publishService = Services.publishService();
        ingest = new GroupCommit(sink).start();
        Authenticator authenticator = new Authenticator();
        Authorizer authorizer = new Authorizer();
        Interceptor interceptor = new Interceptor();
        Services.securityRegistry().setAuthenticatorProvider(in -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(in -> authorizer);
        Services.initializerRegistry().setClientInitializer(
                (in, context) -> {
                    context.addPublishInboundInterceptor(interceptor);
                    context.addSubscribeInboundInterceptor((subscribe, out) -> out.getSubscribePacket()
                            .getSubscriptions().forEach(s -> {
                                if (s.getQos() == Qos.EXACTLY_ONCE) {
                                    s.setQos(Qos.AT_LEAST_ONCE);
                                }
                            }));
                });
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        publishService = null;
        GroupCommit writer = ingest;
        if (writer != null) {
            writer.close();
            Logger.info("cloud: ingest writer stopped after {} payloads in {} group commits", writer.decided(),
                    writer.batches());
        }
    }

    /** Publishes {@code messages} (QoS 1) through the broker; drops them with a log line when it is stopped. */
    /** Publishes {@code messages} (QoS 1) to the one client {@code clientId} if it subscribed to their topics. */
    void publishToClient(List<Outbound> messages, String clientId) {
        PublishService service = publishService;
        for (Outbound m : messages) {
            if (service == null) {
                Logger.warn("cloud: broker stopped, dropping reply to {} on {}", clientId, m.topic());
                continue;
            }
            service.publishToClient(Builders.publish().topic(m.topic()).qos(Qos.AT_LEAST_ONCE)
                    .payload(ByteBuffer.wrap(m.payload())).build(), clientId)
                    .whenComplete((result, e) -> {
                        if (e != null) {
                            Logger.warn("cloud: reply to {} on {} failed: {}", clientId, m.topic(), e.toString());
                        }
                    });
        }
    }

    void publish(List<Outbound> messages) {
        PublishService service = publishService;
        for (Outbound m : messages) {
            if (service == null) {
                Logger.warn("cloud: broker stopped, dropping service message on {}", m.topic());
                continue;
            }
            service.publish(Builders.publish().topic(m.topic()).qos(Qos.AT_LEAST_ONCE)
                    .payload(ByteBuffer.wrap(m.payload())).build())
                    .whenComplete((ok, e) -> {
                        if (e != null) {
                            Logger.warn("cloud: publishing {} failed: {}", m.topic(), e.toString());
                        }
                    });
        }
    }

    /**
     * Re-decides the open connections made with certificate {@code certificateId} after a registry change and closes
     * (DISCONNECT 0x87 Not authorized) those that may no longer stay open; no-op while the broker is stopped.
     */
    void certificateChanged(String certificateId) {
        if (publishService == null) {
            return;
        }
        authorization.recheck(certificateId).forEach((clientId, why) -> {
            refusals.count("connection", DisconnectReasonCode.NOT_AUTHORIZED.name(), clientId);
            Logger.info("cloud: closing the connection of {}: {}", clientId, why);
            Services.clientService().disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, why);
        });
    }

    private final class Authenticator implements SimpleAuthenticator {
        @Override
        public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
            String clientId = input.getClientInformation().getClientId();
            Optional<X509Certificate> cert = input.getConnectionInformation().getClientTlsInformation()
                    .flatMap(ClientTlsInformation::getClientCertificate);
            ClientAuthorization.Admission admission;
            try {
                admission = authorization.admit(clientId, cert);
            } catch (RegistryException e) {
                // the registry could not answer (I/O, lock held past its timeout): not the client's fault
                refusals.count("connect", ConnackReasonCode.SERVER_UNAVAILABLE.name(), clientId);
                Logger.warn("cloud: cannot decide the connect of {}: {}", clientId, e.getMessage());
                output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "the registry is unavailable");
                return;
            }
            if (admission.grant() == null) {
                refuse(output, clientId, admission.refusal());
                return;
            }
            input.getConnectionInformation().getConnectionAttributeStore()
                    .putAsString(ROLE_ATTRIBUTE, admission.grant().operator() ? OPERATOR : "collar");
            rates.put(clientId, new TokenBucket(clock, publishesPerSecond));
            output.authenticateSuccessfully();
        }

        private void refuse(SimpleAuthOutput output, String clientId, String why) {
            refusals.count("connect", ConnackReasonCode.NOT_AUTHORIZED.name(), clientId);
            Logger.info("cloud: refused connect of {}: {}", clientId, why);
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, why);
        }
    }

    private final class Authorizer implements PublishAuthorizer, SubscriptionAuthorizer {
        @Override
        public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
            // every check ran in the Interceptor, which HiveMQ calls before authorizers; a publish that reaches
            // this point passed them
            output.authorizeSuccessfully();
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
            String clientId = input.getClientInformation().getClientId();
            String filter = input.getSubscription().getTopicFilter();
            try {
                TopicScheme.checkAwsLimits(filter);
            } catch (TopicException e) {
                refuse(output, clientId, SubackReasonCode.TOPIC_FILTER_INVALID, e.getMessage());
                return;
            }
            if (!authorization.maySubscribe(clientId, filter)) {
                refuse(output, clientId, SubackReasonCode.NOT_AUTHORIZED, "the policy does not allow subscribing to "
                        + filter);
                return;
            }
            output.authorizeSuccessfully();
        }

        private void refuse(SubscriptionAuthorizerOutput output, String clientId, SubackReasonCode code,
                String why) {
            refusals.count("subscribe", code.name(), clientId);
            Logger.info("cloud: refused subscribe of {}: {}", clientId, why);
            output.failAuthorization(code, why);
        }
    }

    private final class Interceptor implements PublishInboundInterceptor {
        @Override
        public void onInboundPublish(PublishInboundInput input, PublishInboundOutput output) {
            String clientId = input.getClientInformation().getClientId();
            PublishPacket publish = input.getPublishPacket();
            String topic = publish.getTopic();
            byte[] payload = publish.getPayload().map(b -> {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                return bytes;
            }).orElse(new byte[0]);
            if (payload.length > MAX_PAYLOAD_BYTES) {
                refusals.count("publish", DisconnectReasonCode.PACKET_TOO_LARGE.name(), clientId);
                String why = "payload of " + payload.length + " bytes is over AWS IoT Core's 128 KiB limit";
                Logger.info("cloud: {} published on {}: {}: disconnecting", clientId, topic, why);
                output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, why);
                Services.clientService().disconnectClient(clientId, true, DisconnectReasonCode.PACKET_TOO_LARGE, why);
                return;
            }
            try {
                TopicScheme.checkAwsLimits(topic);
            } catch (TopicException e) {
                refuse(output, clientId, PubackReason.TOPIC_NAME_INVALID, e.getMessage());
                return;
            }
            TokenBucket rate = rates.get(clientId);
            if (rate != null && !rate.tryAcquire()) {
                refuse(output, clientId, PubackReason.QUOTA_EXCEEDED,
                        "over " + publishesPerSecond + " publishes per second on this connection");
                return;
            }
            if (!authorization.mayPublish(clientId, topic)) {
                refuse(output, clientId, PubackReason.NOT_AUTHORIZED, "the policy does not allow publishing to "
                        + topic);
                return;
            }
            try {
                if (fleetProvisioning != null && FleetProvisioningService.handles(topic)) {
                    // the request carries a CSR or an ownership token: never delivered to subscribers, and the
                    // answers (certificates, tokens, keys) go to the requesting connection only, as AWS does
                    output.preventPublishDelivery();
                    publishToClient(fleetProvisioning.handle(clientId, topic, payload), clientId);
                } else if (topic.startsWith("$aws/things/")) {
                    serve(topic, payload);
                } else if (topic.startsWith("$aws/rules/")) {
                    ingestBasic(clientId, topic, payload, output);
                } else if (topic.startsWith("pettysync/")) {
                    ingestDirect(clientId, topic, payload, output);
                }
            } catch (IllegalStateException e) {
                Logger.error("cloud: serving {} failed: {}", topic, e.getMessage());
                output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "the service's store failed");
            }
        }

        /**
         * Hands {@code payload} to the group commit and releases the publish (its PUBACK) only once the payload's
         * verdict is committed; refusals are set on {@code output} before it is released. {@code output} is changed
         * only after {@code async()} (a delivery prevented before it turned the PUBACK into an error with HiveMQ CE
         * 2025.5, seen in {@code LocalIotCoreTest.basicIngestReachesTheSinkButNoSubscriber}).
         */
        private void ingest(String clientId, String thing, Stream stream, byte[] payload, boolean deliver,
                PublishInboundOutput output) {
            GroupCommit writer = ingest;
            if (writer == null) {
                refuse(output, clientId, "ingest", PubackReason.UNSPECIFIED_ERROR, "the ingest writer is stopped");
                return;
            }
            Async<PublishInboundOutput> async = output.async(INGEST_TIMEOUT, TimeoutFallback.FAILURE,
                    AckReasonCode.UNSPECIFIED_ERROR, "the frame store did not answer in time");
            writer.submit(thing, stream, payload).whenComplete((verdict, failure) -> {
                if (failure instanceof IngestRefused r && r.reason() == IngestRefused.Reason.BUSY) {
                    refuse(output, clientId, "ingest", PubackReason.QUOTA_EXCEEDED, r.getMessage());
                } else if (failure != null) {
                    Logger.error("cloud: ingest failed for {} on {}: {}", clientId, stream, failure.getMessage());
                    refusals.count("ingest", PubackReason.UNSPECIFIED_ERROR.name(), clientId);
                    output.preventPublishDelivery(AckReasonCode.UNSPECIFIED_ERROR, "the frame store failed");
                } else if (!deliver) {
                    output.preventPublishDelivery(); // acknowledged, never delivered to a subscriber
                }
                async.resume();
            });
        }

        /**
         * Refuses a publish with a code of the collar's own rule table ({@link PubackReason}: what the broker says
         * and what the collar does about it live in one place), as HiveMQ's code of the same name.
         */
        private void refuse(PublishInboundOutput output, String clientId, PubackReason code, String why) {
            refuse(output, clientId, "publish", code, why);
        }

        private void refuse(PublishInboundOutput output, String clientId, String operation, PubackReason code,
                String why) {
            refusals.count(operation, code.name(), clientId);
            Logger.info("cloud: refused publish of {}: {}", clientId, why);
            output.preventPublishDelivery(AckReasonCode.valueOf(code.name()), why);
        }

        private void serve(String topic, byte[] payload) {
            String[] levels = topic.split("/", -1);
            if (levels.length < 5) {
                return;
            }
            String thing = levels[2];
            if (levels[3].equals("shadow")) {
                int opFrom = levels[4].equals("name") ? 6 : 4;
                if (levels.length == opFrom + 1) {
                    String base = String.join("/", java.util.Arrays.copyOfRange(levels, 0, opFrom));
                    publish(shadows.handle(base, levels[opFrom], payload));
                }
            } else if (levels[3].equals("jobs")) {
                String rest = String.join("/", java.util.Arrays.copyOfRange(levels, 4, levels.length));
                publish(jobs.handle(thing, rest, payload));
            }
        }

        private void ingestBasic(String clientId, String topic, byte[] payload, PublishInboundOutput output) {
            CollarTopic parsed;
            try {
                parsed = CollarTopic.parse(topic);
            } catch (TopicException e) {
                parsed = null;
            }
            if (parsed instanceof BasicIngestTopic b && b.rule().equals(rule)) {
                ingest(clientId, b.thing().value(), Stream.TELEMETRY, payload, false, output);
            } else {
                Logger.info("cloud: Basic Ingest topic {} matches no rule: dropped", topic);
                output.preventPublishDelivery(); // Basic Ingest never reaches a subscriber
            }
        }

        private void ingestDirect(String clientId, String topic, byte[] payload, PublishInboundOutput output) {
            CollarTopic parsed;
            try {
                parsed = CollarTopic.parse(topic);
            } catch (TopicException e) {
                return;
            }
            if (parsed instanceof DataTopic d) {
                Stream stream = switch (d.stream()) {
                    case TELEMETRY -> Stream.TELEMETRY;
                    case EVENTS -> Stream.EVENTS;
                    case VOICE -> Stream.VOICE;
                    case RAW -> Stream.RAW;
                };
                ingest(clientId, d.thing().value(), stream, payload, true, output);
            }
        }
    }
}
