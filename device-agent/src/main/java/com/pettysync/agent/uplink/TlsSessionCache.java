package com.pettysync.agent.uplink;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;

/**
 * How many TLS sessions the collar keeps for resumption, and for how long: the bound of the client session cache of
 * the one {@link SSLContext} {@link PemTls} builds for the agent's lifetime.
 *
 * <p>Why it matters: the agent reconnects after every outage. With the session of the last connection kept, a
 * reconnect to the same host and port is a TLS 1.3 PSK resumption (the broker's session ticket): no certificates
 * cross the air in either direction and the collar signs nothing, which saves handshake bytes and CPU (battery);
 * both measured by {@code device-agent/src/bench/tls-resumption.sh}. The key exchange stays ephemeral (psk_dhe_ke),
 * so forward secrecy is kept. A session older than {@code lifetime} — or than the ticket lifetime the broker
 * grants, whichever is shorter — is not offered and the reconnect is a full handshake, as the first connect is.
 *
 * @param sessions at most this many sessions are kept (one per broker host and port the collar talks to; the
 *     oldest is evicted first), 1 … 1000
 * @param lifetime a kept session is offered for at most this long after its full handshake, 1 s … 7 days
 */
public record TlsSessionCache(int sessions, Duration lifetime) {
    /**
     * The collar's defaults: 4 sessions (it talks to one endpoint; a claim identity and a permanent one use separate
     * contexts) for 24 hours (the broker's ticket lifetime usually ends it sooner: Mosquitto/OpenSSL grant 2 h).
     */
    public static final TlsSessionCache DEFAULTS = new TlsSessionCache(4, Duration.ofHours(24));

    public TlsSessionCache {
        if (sessions < 1 || sessions > 1000) {
            throw new IllegalArgumentException("TLS session cache size must be 1 … 1000, got " + sessions);
        }
        if (lifetime == null || lifetime.compareTo(Duration.ofSeconds(1)) < 0
                || lifetime.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("TLS session lifetime must be 1 s … 7 days, got " + lifetime);
        }
    }

    /** Bounds {@code context}'s client session cache. */
    void applyTo(SSLContext context) {
        SSLSessionContext cache = context.getClientSessionContext();
        cache.setSessionCacheSize(sessions);
        cache.setSessionTimeout((int) lifetime.toSeconds());
    }
}
