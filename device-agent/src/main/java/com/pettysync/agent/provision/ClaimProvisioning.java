package com.pettysync.agent.provision;

import com.pettysync.agent.config.AgentConfig;
import com.pettysync.agent.config.ClaimConfig;
import com.pettysync.drivers.retry.Backoff;
import com.pettysync.agent.uplink.BrokerException;
import com.pettysync.agent.uplink.BrokerSession;
import com.pettysync.agent.uplink.PahoBrokerSession;
import com.pettysync.agent.uplink.PemTls;
import com.pettysync.agent.uplink.Uplink;
import com.pettysync.contract.topic.ThingName;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLSocketFactory;
import org.tinylog.Logger;

/**
 * AWS IoT fleet provisioning by claim, over MQTT, on the collar's first start: from a claim certificate to the
 * collar's own thing, certificate and key, committed to disk.
 *
 * <p><b>Guarantee.</b> {@link #provision} returns only once the permanent identity is durable on disk and the
 * configuration file names it ({@link IdentityStore}: the file is always either the claim or the permanent
 * configuration, never neither). It never gives up and never throws for a failure of the network, of AWS or of the
 * disk: every failed attempt is logged on one line, counted in the {@link ProvisioningStatus} handed to the progress
 * hook, and retried after a full-jitter back-off ({@link Backoff}, the configuration's {@code reconnect} bounds). It
 * ends early only through {@link #stop()} (or an interrupt): {@link InterruptedException}, nothing committed half.
 * The private key is made here and never leaves the process except into its 0600 file; the ownership token is
 * never logged.
 *
 * <p><b>One attempt</b> (a new MQTT connection each, so a late reply to an earlier attempt cannot be taken for
 * this one's — AWS answers on the connection that asked):
 * <ol>
 *   <li>connect with the claim certificate as {@code clientId}; a connect the broker refuses for our identity (TLS
 *       or CONNACK: revoked, expired, unknown claim certificate) is logged as such;</li>
 *   <li>subscribe to the four reply topics ({@link FleetProvisioningApi#replyTopics}), before any request;</li>
 *   <li>make an EC P-256 key pair, publish its CSR (CN = client ID) to CreateCertificateFromCsr; wait for
 *       accepted or rejected, at most {@code replyTimeout}. The certificate accepted must carry our public key
 *       (anything else is refused);</li>
 *   <li>publish the ownership token and the template parameters to RegisterThing; wait likewise. A rejection (an
 *       expired token, a pre-provisioning hook saying no) or silence fails the attempt: the next starts again from
 *       a new key and CSR;</li>
 *   <li>commit ({@link IdentityStore#commit}); an I/O error there is retried with back-off while the certificate
 *       and key are still in memory.</li>
 * </ol>
 * Rejected replies are logged with AWS's {@code statusCode} and {@code errorCode}; a reply that never comes is a
 * timeout; a PUBACK ≥ 0x80 (the claim policy does not allow the topic) fails the attempt at once.
 *
 * <p>Time: every wait goes through {@link Waits} on the injected clock, so tests move a manual clock instead of
 * sleeping; the progress hook is called on every change of state and at least every {@link Settings#statusEvery}
 * while waiting (the agent writes the status file and pings the systemd watchdog from it).
 */
public final class ClaimProvisioning {

    /**
     * @param retryMin    back-off base (the first retry waits up to this)
     * @param retryMax    back-off cap
     * @param statusEvery the longest time without a progress report while waiting
     */
    public record Settings(Duration retryMin, Duration retryMax, Duration statusEvery) {
        /** Back-off from the configuration's {@code reconnect} bounds; a report at least every 30 s. */
        public static Settings of(AgentConfig.Reconnect reconnect) {
            return new Settings(reconnect.min(), reconnect.max(), Duration.ofSeconds(30));
        }
    }

    /** One attempt failed; the message is the log line's reason (never a secret). */
    private static final class AttemptFailed extends Exception {
        private static final long serialVersionUID = 1L;

        AttemptFailed(String message) {
            super(message, null, false, false);
        }
    }

    private record Reply(String topic, byte[] payload) {
    }

    private final Path configFile;
    private final Supplier<BrokerSession> sessions;
    private final IdentityStore store;
    private final Settings settings;
    private final Clock clock;
    private final Backoff backoff;
    private final Waits waits;
    private final Consumer<ProvisioningStatus> progress;

    private final ConcurrentLinkedQueue<Reply> inbox = new ConcurrentLinkedQueue<>();
    private volatile Throwable lost;
    private volatile String refusedPublish;
    private volatile boolean stopped;
    /** Replies and failures are only taken from the session of the attempt under way. */
    private volatile BrokerSession current;

    private volatile ProvisioningStatus status;
    private Instant nextReport = Instant.MIN;
    private long tokens;

    /**
     * @param configFile the configuration file holding the claim; replaced by the permanent one at the end
     * @param sessions   a new MQTT session with the claim certificate and client ID, per attempt
     * @param store      commits the identity ({@code new IdentityStore(IdentityStore.Disk.real())})
     * @param random     the back-off's randomness
     * @param progress   told every change of state and at least every {@link Settings#statusEvery}; must be quick
     */
    public ClaimProvisioning(Path configFile, Supplier<BrokerSession> sessions, IdentityStore store, Settings settings,
            Clock clock, RandomGenerator random, Waits waits, Consumer<ProvisioningStatus> progress) {
        this.configFile = Objects.requireNonNull(configFile);
        this.sessions = Objects.requireNonNull(sessions);
        this.store = Objects.requireNonNull(store);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
        this.backoff = Backoff.fullJitter(settings.retryMin(), settings.retryMax(), random);
        this.waits = Objects.requireNonNull(waits);
        this.progress = progress == null ? s -> { } : progress;
        this.status = new ProvisioningStatus(ProvisioningStatus.State.CONNECTING, 0, 0, null, null, clock.instant(),
                null);
    }

    /**
     * The collar's own set-up: Paho MQTT 5 over mutual TLS with the claim certificate and key to
     * {@code config}'s endpoint, the real disk, the real clock's waits, a secure random. {@code config} must be a
     * claim configuration read from {@code configFile}. Unreadable claim PEM files are an {@link IOException} here,
     * before anything starts (like a permanent identity's).
     */
    public static ClaimProvisioning overMqtt(AgentConfig config, Path configFile, Clock clock,
            Consumer<ProvisioningStatus> progress) throws IOException {
        ClaimConfig claim = Objects.requireNonNull(config.claim(), "not a claim configuration");
        SSLSocketFactory tls = PemTls.socketFactory(claim.certificate(), claim.privateKey(), config.caCertificate(),
                config.port() == AgentConfig.ALPN_PORT);
        String uri = "ssl://" + config.endpoint() + ":" + config.port();
        Supplier<BrokerSession> sessions = () -> new PahoBrokerSession(new PahoBrokerSession.Options(uri,
                claim.clientId(), tls, config.keepAliveS(), Duration.ofSeconds(10)));
        return new ClaimProvisioning(configFile, sessions, new IdentityStore(IdentityStore.Disk.real()),
                Settings.of(config.reconnect()), clock, new SplittableRandom(new SecureRandom().nextLong()),
                Waits.on(clock), progress);
    }

    /** The latest status (any thread). */
    public ProvisioningStatus status() {
        return status;
    }

    /** Makes {@link #provision} end with {@link InterruptedException} at its next wait. Any thread. */
    public void stop() {
        stopped = true;
        waits.wake();
    }

    /**
     * Provisions {@code claim} (see the class comment); blocks until the permanent identity is committed.
     *
     * @throws InterruptedException after {@link #stop()} or an interrupt; the configuration is then still the claim
     */
    public PermanentIdentity provision(ClaimConfig claim) throws InterruptedException {
        int attempt = 0;
        int failures = 0;
        String lastError = null;
        while (true) {
            checkStopped();
            attempt++;
            report(new ProvisioningStatus(ProvisioningStatus.State.CONNECTING, attempt, failures, lastError, null,
                    status.since(), null));
            try {
                PermanentIdentity id = attempt(claim, attempt, failures, lastError);
                report(new ProvisioningStatus(ProvisioningStatus.State.DONE, attempt, 0, null, null, status.since(),
                        id.thingName()));
                return id;
            } catch (AttemptFailed f) {
                failures++;
                lastError = f.getMessage();
                Duration delay = backoff.delay(failures);
                Logger.warn("provisioning by claim: attempt {} failed: {}; next attempt in {} ms", attempt, lastError,
                        delay.toMillis());
                Instant next = clock.instant().plus(delay);
                report(new ProvisioningStatus(ProvisioningStatus.State.WAITING_TO_RETRY, attempt, failures,
                        lastError, next, status.since(), null));
                pause(next);
            }
        }
    }

    private PermanentIdentity attempt(ClaimConfig claim, int attempt, int failures, String lastError)
            throws AttemptFailed, InterruptedException {
        Path configDir = configFile.toAbsolutePath().getParent();
        if (!Files.isWritable(configDir)) {
            throw new AttemptFailed("cannot write " + configDir + ", where the permanent configuration replaces "
                    + configFile.getFileName() + ": not asking AWS for a certificate the collar could not keep");
        }
        BrokerSession session = sessions.get();
        inbox.clear();
        lost = null;
        refusedPublish = null;
        current = session;
        try {
            connect(session, claim);
            session.subscribe(FleetProvisioningApi.replyTopics(claim.templateName()));

            state(ProvisioningStatus.State.CREATING_CERTIFICATE, attempt, failures, lastError);
            KeyPair keys;
            String csr;
            try {
                keys = CertificateSigningRequest.newP256KeyPair();
                csr = CertificateSigningRequest.pem(keys, claim.clientId());
            } catch (GeneralSecurityException e) {
                throw new AttemptFailed("cannot make the key pair or CSR: " + Uplink.oneLine(e));
            }
            publish(session, FleetProvisioningApi.CREATE_FROM_CSR, FleetProvisioningApi.createCertificateRequest(csr));
            byte[] created = await(FleetProvisioningApi.CREATE_FROM_CSR, "create-from-csr", claim.replyTimeout(),
                    null);
            FleetProvisioningApi.CertificateCreated cert = read(() -> FleetProvisioningApi.CertificateCreated
                    .read(created), "create-from-csr accepted");
            checkCertificate(cert.certificatePem(), keys);
            Logger.info("provisioning by claim: certificate {} created from the collar's CSR; registering with"
                    + " template {}", cert.certificateId(), claim.templateName());

            state(ProvisioningStatus.State.REGISTERING_THING, attempt, failures, lastError);
            String provisionTopic = FleetProvisioningApi.provisionTopic(claim.templateName());
            publish(session, provisionTopic, FleetProvisioningApi.registerThingRequest(cert.ownershipToken(),
                    claim.parameters()));
            byte[] registered = await(provisionTopic, "provision", claim.replyTimeout(), cert.ownershipToken());
            FleetProvisioningApi.ThingRegistered thing = read(() -> FleetProvisioningApi.ThingRegistered
                    .read(registered), "provision accepted");
            if (!ThingName.isValid(thing.thingName())) {
                throw new AttemptFailed("provision accepted with a thing name the collar cannot use (not 1-128 of"
                        + " [a-zA-Z0-9:_-]): \"" + thing.thingName() + "\"");
            }
            session.close(); // the claim connection is done; the thing connects with its own certificate

            state(ProvisioningStatus.State.WRITING_IDENTITY, attempt, failures, lastError);
            PermanentIdentity id = commit(claim, thing, cert.certificatePem(), keys);
            Logger.info("provisioning by claim: thing {} registered; identity in {}, configuration {} is permanent",
                    id.thingName(), id.certificate().getParent(), configFile);
            return id;
        } catch (BrokerException e) {
            throw new AttemptFailed(Uplink.oneLine(e));
        } finally {
            current = null;
            session.close();
        }
    }

    private void connect(BrokerSession session, ClaimConfig claim) throws AttemptFailed {
        try {
            session.connect(new Listener(session));
        } catch (BrokerException e) {
            if (e.credentialsRefused()) {
                throw new AttemptFailed("the broker refused the claim certificate at connect (" + expiry(claim)
                        + "): " + Uplink.oneLine(e));
            }
            throw new AttemptFailed("connect failed: " + Uplink.oneLine(e));
        }
        Logger.info("provisioning by claim: connected as {} with the claim certificate", claim.clientId());
    }

    /** Why the claim certificate may have been refused, as far as the collar can tell. */
    private String expiry(ClaimConfig claim) {
        try {
            for (X509Certificate c : PemTls.certificates(claim.certificate())) {
                Instant notAfter = c.getNotAfter().toInstant();
                return notAfter.isBefore(clock.instant()) ? "it expired at " + notAfter
                        : "revoked, or not registered with AWS? it is valid until " + notAfter;
            }
        } catch (IOException e) {
            return "revoked or expired? it cannot be read here: " + e.getMessage();
        }
        return "revoked or expired?";
    }

    private void publish(BrokerSession session, String topic, byte[] payload) throws BrokerException {
        session.publish(++tokens, topic, payload);
    }

    /**
     * The accepted reply to the request on {@code requestTopic}, waiting at most {@code timeout}; a rejected reply,
     * a lost connection, a refused publish or the timeout fail the attempt. {@code secret} is cut out of AWS's
     * error message before it is logged.
     */
    private byte[] await(String requestTopic, String name, Duration timeout, String secret)
            throws AttemptFailed, InterruptedException {
        String accepted = FleetProvisioningApi.accepted(requestTopic);
        String rejected = FleetProvisioningApi.rejected(requestTopic);
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            for (Reply r; (r = inbox.poll()) != null;) {
                if (r.topic().equals(accepted)) {
                    return r.payload();
                }
                if (r.topic().equals(rejected)) {
                    byte[] payload = r.payload();
                    FleetProvisioningApi.Rejected no = read(() -> FleetProvisioningApi.Rejected.read(payload),
                            name + " rejected");
                    throw new AttemptFailed(name + " rejected: statusCode " + no.statusCode() + ", errorCode "
                            + (no.errorCode().isEmpty() ? "(none)" : no.errorCode()) + redacted(no.errorMessage(),
                                    secret));
                }
                // anything else (a reply to the other request) is not for this wait
            }
            if (refusedPublish != null) {
                throw new AttemptFailed(name + " request refused by the broker: " + refusedPublish);
            }
            if (lost != null) {
                throw new AttemptFailed("connection lost while waiting for the " + name + " reply: "
                        + Uplink.oneLine(lost));
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new AttemptFailed("no " + name + " reply within " + timeout.toSeconds() + " s");
            }
            checkStopped();
            Instant until = min(deadline, now.plus(settings.statusEvery()));
            waits.until(until, () -> !inbox.isEmpty() || lost != null || refusedPublish != null || stopped);
            heartbeat();
        }
    }

    private PermanentIdentity commit(ClaimConfig claim, FleetProvisioningApi.ThingRegistered thing,
            String certificatePem, KeyPair keys) throws InterruptedException {
        int writeFailures = 0;
        while (true) {
            try {
                return store.commit(configFile, claim, thing.thingName(), certificatePem, keys.getPrivate(),
                        thing.deviceConfiguration());
            } catch (IOException | RuntimeException e) {
                writeFailures++;
                Duration delay = backoff.delay(writeFailures);
                Logger.warn("provisioning by claim: writing the identity of thing {} failed ({}); retrying in {} ms"
                        + " (the configuration is still the claim)", thing.thingName(), Uplink.oneLine(e),
                        delay.toMillis());
                Instant next = clock.instant().plus(delay);
                ProvisioningStatus s = status;
                report(new ProvisioningStatus(ProvisioningStatus.State.WRITING_IDENTITY, s.attempt(), s.failures(),
                        "writing the identity failed: " + Uplink.oneLine(e), next, s.since(), null));
                pause(next);
            }
        }
    }

    /** The certificate AWS made must parse and carry our public key (else it is not ours: refuse it). */
    private static void checkCertificate(String pem, KeyPair keys) throws AttemptFailed {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AttemptFailed("create-from-csr accepted with a certificate that does not parse: "
                    + Uplink.oneLine(e));
        }
        if (!Arrays.equals(cert.getPublicKey().getEncoded(), keys.getPublic().getEncoded())) {
            throw new AttemptFailed("create-from-csr accepted with a certificate for another key than the CSR's;"
                    + " refused");
        }
    }

    private static <T> T read(Supplier<T> parse, String what) throws AttemptFailed {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new AttemptFailed(what + " unreadable: " + e.getMessage());
        }
    }

    /** {@code " (message)"}, one line, at most 200 characters, {@code secret} replaced; empty for no message. */
    static String redacted(String message, String secret) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String m = secret == null || secret.isEmpty() ? message : message.replace(secret, "<token>");
        m = m.replaceAll("\\s+", " ").strip();
        return " (" + (m.length() > 200 ? m.substring(0, 200) + "…" : m) + ")";
    }

    /** Waits until {@code until} in slices of at most {@link Settings#statusEvery}, reporting between them. */
    private void pause(Instant until) throws InterruptedException {
        while (true) {
            checkStopped();
            Instant now = clock.instant();
            if (!now.isBefore(until)) {
                return;
            }
            waits.until(min(until, now.plus(settings.statusEvery())), () -> stopped);
            heartbeat();
        }
    }

    private void checkStopped() throws InterruptedException {
        if (stopped || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("provisioning by claim stopped");
        }
    }

    private void state(ProvisioningStatus.State state, int attempt, int failures, String lastError) {
        report(new ProvisioningStatus(state, attempt, failures, lastError, null, status.since(), null));
    }

    private void report(ProvisioningStatus s) {
        status = s;
        nextReport = clock.instant().plus(settings.statusEvery());
        try {
            progress.accept(s);
        } catch (RuntimeException e) {
            Logger.warn("provisioning status not reported: {}", Uplink.oneLine(e));
        }
    }

    private void heartbeat() {
        if (!clock.instant().isBefore(nextReport)) {
            report(status);
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Broker callbacks: replies into the inbox, failures into flags; only from the attempt's own session. */
    private final class Listener implements BrokerSession.Listener {
        private final BrokerSession session;

        Listener(BrokerSession session) {
            this.session = session;
        }

        @Override
        public void published(long token, int reasonCode, String reason) {
            if (reasonCode >= 0x80 && current == session) {
                refusedPublish = "PUBACK 0x" + Integer.toHexString(reasonCode) + (reason == null ? "" : " " + reason)
                        + (reasonCode == 0x87 ? " (the claim's policy must allow this topic)" : "");
                waits.wake();
            }
        }

        @Override
        public void publishFailed(long token, Throwable cause) {
            if (current == session) {
                lost = cause == null ? new BrokerException("publish failed") : cause;
                waits.wake();
            }
        }

        @Override
        public void message(String topic, byte[] payload) {
            if (current == session) {
                inbox.add(new Reply(topic, payload));
                waits.wake();
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            if (current == session) {
                lost = cause == null ? new BrokerException("connection lost") : cause;
                waits.wake();
            }
        }
    }
}
