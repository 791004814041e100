package com.pettysync.simulator.fleet;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client's trust manager that counts server-certificate checks: one per full TLS handshake, none for a resumed
 * one (tests and the connection bench tell full from resumed handshakes with it).
 */
public final class CountingTrust {
    private final LongAdder serverChecks = new LongAdder();
    private final X509ExtendedTrustManager inner;

    public CountingTrust(TrustManagerFactory f) {
        this.inner = (X509ExtendedTrustManager) f.getTrustManagers()[0];
    }

    /** Server-certificate checks so far. */
    public long serverChecks() {
        return serverChecks.sum();
    }

    /** A factory around the counting trust manager. */
    public TrustManagerFactory factory() {
        X509ExtendedTrustManager counting = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
                inner.checkClientTrusted(c, a, s);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a, Socket s) throws CertificateException {
                serverChecks.increment();
                inner.checkServerTrusted(c, a, s);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
                inner.checkClientTrusted(c, a, e);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) throws CertificateException {
                serverChecks.increment();
                inner.checkServerTrusted(c, a, e);
            }

            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) throws CertificateException {
                inner.checkClientTrusted(c, a);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) throws CertificateException {
                serverChecks.increment();
                inner.checkServerTrusted(c, a);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return inner.getAcceptedIssuers();
            }
        };
        return CollarTls.trustManagers(counting);
    }
}
