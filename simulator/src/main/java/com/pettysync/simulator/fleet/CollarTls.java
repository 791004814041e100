package com.pettysync.simulator.fleet;

import com.pettysync.provisioning.ca.IssuedCredential;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The virtual collars' TLS key and trust material, built so that a connect costs the handshake and little else.
 *
 * <ul>
 * <li>{@link #keyManagers}: the collar's own key and certificate (each collar keeps its own certificate and EC P-256
 * key, as the product's collars do), presenting the <em>leaf only</em>: the broker trusts the root, so sending it
 * too only costs wire bytes and the broker's parsing, and AWS IoT does not need it for a certificate of a registered
 * CA either.
 * <li>{@link #trustOnce}: the broker's certificate chain is checked in full (PKIX, host name) by the given trust
 * managers the first time it is seen for a host; after that the identical chain (same DER bytes, same host, same
 * authentication type) is accepted after checking only that every certificate is within its validity dates now. The
 * server still proves it holds the key in every full handshake (TLS 1.3 CertificateVerify, checked by JSSE, not by a
 * trust manager); a chain that differs in any byte goes through the full check. Client-certificate checks are passed
 * through unchanged.
 * </ul>
 */
public final class CollarTls {
    /** Chains remembered at most (a fleet talks to a handful of brokers); the cache is cleared when full. */
    static final int MAX_CHAINS = 64;

    private CollarTls() {
    }

    /** Key managers presenting {@code credential}'s certificate alone, signing with its key. */
    public static KeyManagerFactory keyManagers(IssuedCredential credential) {
        return credential.keyManagerFactory(true);
    }

    /**
     * Trust managers that check a server chain in full once with {@code full}'s X509 trust manager and then accept
     * the identical chain for the same host within its validity dates (see the class comment). Share one instance
     * across collars: the remembered chains are what makes later connects cheap.
     */
    public static TrustManagerFactory trustOnce(TrustManagerFactory full) {
        X509ExtendedTrustManager inner = null;
        for (TrustManager tm : full.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                inner = x;
                break;
            }
        }
        if (inner == null) {
            throw new IllegalArgumentException("no X509ExtendedTrustManager among the given trust managers");
        }
        TrustManager manager = new ServerChainCache(inner);
        return trustManagers(manager);
    }

    /** A factory handing out {@code manager} alone (the JDK has no public way to wrap a ready trust manager). */
    public static TrustManagerFactory trustManagers(TrustManager manager) {
        return new TrustManagerFactory(new TrustManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected TrustManager[] engineGetTrustManagers() {
                return new TrustManager[] {manager};
            }
        }, null, "pettysync-single-trust-manager") {
        };
    }

    /** Remembers server chains that passed the full check; see {@link #trustOnce}. Thread-safe. */
    static final class ServerChainCache extends X509ExtendedTrustManager {
        private record Key(List<ByteBuffer> chain, String host, String identification, String authType) {}

        private final X509ExtendedTrustManager full;
        private final Map<Key, X509Certificate[]> verified = new ConcurrentHashMap<>();

        ServerChainCache(X509ExtendedTrustManager full) {
            this.full = full;
        }

        /** How many distinct chains are remembered (tests). */
        int remembered() {
            return verified.size();
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            Key key = key(chain, authType, engine == null ? null : engine.getPeerHost(),
                    engine == null ? null : engine.getSSLParameters().getEndpointIdentificationAlgorithm());
            if (!remembered(key)) {
                full.checkServerTrusted(chain, authType, engine);
                remember(key, chain);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            // sockets are not what the fleet uses: always the full check
            full.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            full.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            full.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            full.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            full.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return full.getAcceptedIssuers();
        }

        private boolean remembered(Key key) {
            X509Certificate[] chain = verified.get(key);
            if (chain == null) {
                return false;
            }
            Date now = new Date();
            try {
                for (X509Certificate c : chain) {
                    c.checkValidity(now);
                }
                return true;
            } catch (CertificateException e) {
                verified.remove(key);
                return false;
            }
        }

        private void remember(Key key, X509Certificate[] chain) {
            if (verified.size() >= MAX_CHAINS) {
                verified.clear();
            }
            verified.put(key, chain.clone());
        }

        private static Key key(X509Certificate[] chain, String authType, String host, String identification)
                throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the server sent no certificate");
            }
            List<ByteBuffer> encoded = new ArrayList<>(chain.length);
            try {
                for (X509Certificate c : chain) {
                    encoded.add(ByteBuffer.wrap(c.getEncoded()));
                }
            } catch (CertificateEncodingException e) {
                throw new CertificateException("cannot encode the server's certificate: " + e.getMessage(), e);
            }
            return new Key(List.copyOf(encoded), host, identification, authType);
        }
    }
}
