package com.pettysync.simulator.fleet;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.LocalIotCore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the fleet's collars reach their broker: each collar's credential (issued in memory from the embedded cloud or
 * a shared CA directory, or read from {@code --credentials}), the broker address (the embedded cloud, the endpoint,
 * or the impaired link in front of it), the loopback source address each collar binds, and the limit on TLS
 * handshakes in progress at once: a connect asked for beyond {@code maxConnecting} waits in a queue and starts when
 * one in progress completes. The result reaches the collar on its scheduler thread as an already connected (or
 * already failed) {@link CollarSession}, so a connect never blocks a scheduler.
 */
final class FleetConnector implements VirtualCollar.Fleet {
    private final FleetSimulation.Options options;
    private final FleetMetrics metrics;
    private final LocalIotCore cloud; // null with an endpoint
    private final ImpairedLink link; // null without net: faults
    private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connecting = new AtomicInteger();
    private final Map<String, KeyManagerFactory> keys = new HashMap<>();
    // each collar's last session: its next connection reuses the client's TLS context (resumption, see
    // HiveMqBrokerSession#next); dropped when the collar's process is killed (a new process has no TLS cache)
    private final Map<String, HiveMqBrokerSession> lastSessions = new java.util.concurrent.ConcurrentHashMap<>();
    private TrustManagerFactory trust;

    FleetConnector(FleetSimulation.Options options, FleetMetrics metrics, LocalIotCore cloud, ImpairedLink link) {
        this.options = options;
        this.metrics = metrics;
        this.cloud = cloud;
        this.link = link;
    }

    @Override
    public void connect(VirtualCollar collar) {
        waiting.add(() -> startConnect(collar));
        pump();
    }

    @Override
    public FleetMetrics metrics() {
        return metrics;
    }

    /** Issues or reads every credential of this shard's collars; prints how long it took. */
    void prepareCredentials(PrintStream progress) throws IOException {
        long t0 = System.nanoTime();
        if (cloud != null || options.ca() != null) {
            LocalCertificateAuthority ca = cloud != null ? cloud.certificateAuthority()
                    : LocalCertificateAuthority.load(options.ca(), java.time.Clock.systemUTC());
            trust = CollarTls.trustOnce(ca.trustManagerFactory());
            for (int i = options.first(); i < options.end(); i++) {
                // the embedded cloud registers each certificate (thing, collar policy, attachments) as AWS would;
                // a separate cloud given --ca runs CA-only and needs no registration
                String thing = FleetSimulation.thingName(i);
                IssuedCredential credential = cloud != null ? cloud.issueCollar(thing) : ca.issueCollar(thing);
                keys.put(thing, CollarTls.keyManagers(credential));
            }
        } else {
            Path ca = null;
            for (int i = options.first(); i < options.end(); i++) {
                String thing = FleetSimulation.thingName(i);
                Path dir = options.credentials().resolve(thing);
                if (!Files.isDirectory(dir)) {
                    throw new IOException("no credentials for " + thing + " in " + options.credentials());
                }
                keys.put(thing, CollarTls.keyManagers(IssuedCredential.readFrom(dir)));
                ca = dir.resolve(IssuedCredential.CA_FILE);
            }
            trust = CollarTls.trustOnce(trustOf(ca));
        }
        progress.printf(Locale.ROOT, "credentials for %d collars ready in %.1f s%n", keys.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    private void pump() {
        while (true) {
            int n = connecting.get();
            if (n >= options.maxConnecting()) {
                return;
            }
            if (!connecting.compareAndSet(n, n + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                connecting.decrementAndGet();
                if (waiting.isEmpty()) {
                    return;
                }
                continue;
            }
            next.run();
        }
    }

    private void startConnect(VirtualCollar collar) {
        int addresses = options.sourceAddresses() > 0 ? options.sourceAddresses()
                : Math.max(1, (options.end() - options.first() + 19_999) / 20_000);
        InetSocketAddress bind = null;
        if (loopbackTarget() && addresses > 1) {
            bind = new InetSocketAddress("127.0.0." + (1 + collar.index % addresses), 0);
        }
        String host = options.endpoint() == null ? cloud.endpoint() : options.endpoint();
        int port = link != null ? link.port() : options.endpoint() == null ? cloud.port() : options.port();
        HiveMqBrokerSession previous = lastSessions.get(collar.thing);
        var inner = previous != null ? previous.next()
                : new HiveMqBrokerSession(new HiveMqBrokerSession.Options(host, port, collar.thing,
                        keys.get(collar.thing), trust, Duration.ofSeconds(1200), Duration.ofSeconds(30), bind));
        lastSessions.put(collar.thing, inner);
        CollarSession session = CollarSession.pending(inner, metrics);
        inner.connectAsync(session.relay).whenComplete((ok, error) -> {
            connecting.decrementAndGet();
            if (error != null) {
                metrics.connectFailures.increment();
                session.close();
            }
            collar.scheduler.post(() -> collar.connectDone(error == null ? session
                    : CollarSession.failed(error, metrics)));
            collar.wake();
            pump();
        });
    }

    /** The collar's process was killed: its next connect is a full handshake, as a restarted agent's would be. */
    void forgetSession(VirtualCollar collar) {
        lastSessions.remove(collar.thing);
    }

    private boolean loopbackTarget() {
        String e = options.endpoint();
        return e == null || e.equals("localhost") || e.startsWith("127.");
    }

    private static TrustManagerFactory trustOf(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int n = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + n++, (X509Certificate) c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return tmf;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
