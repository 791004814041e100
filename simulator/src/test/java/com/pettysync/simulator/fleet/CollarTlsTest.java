package com.pettysync.simulator.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.pettysync.provisioning.ca.IssuedCredential;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.junit.jupiter.api.Test;

/** The collars' key material presents the leaf alone; the remembered server chain lets no other chain through. */
class CollarTlsTest {
    private final LocalCertificateAuthority ca = LocalCertificateAuthority.create("PettySync local root CA",
            Clock.systemUTC());

    @Test
    void presentsTheLeafCertificateAloneWithItsKey() {
        IssuedCredential collar = ca.issueCollar("collar-0001");
        X509ExtendedKeyManager km = (X509ExtendedKeyManager) CollarTls.keyManagers(collar).getKeyManagers()[0];
        String alias = km.chooseEngineClientAlias(new String[] {"EC"}, null, null);
        assertArrayEquals(new X509Certificate[] {collar.certificate()}, km.getCertificateChain(alias));
        assertEquals(collar.privateKey(), km.getPrivateKey(alias));
    }

    @Test
    void aRememberedChainLetsNoOtherChainThrough() throws Exception {
        CollarTls.ServerChainCache trust = (CollarTls.ServerChainCache) CollarTls.trustOnce(ca.trustManagerFactory())
                .getTrustManagers()[0];
        X509Certificate[] server = {ca.issueServer(List.of("localhost")).certificate()};
        trust.checkServerTrusted(server, "ECDHE_ECDSA", (SSLEngine) null);
        trust.checkServerTrusted(server, "ECDHE_ECDSA", (SSLEngine) null);
        assertEquals(1, trust.remembered());

        LocalCertificateAuthority sameName = LocalCertificateAuthority.create("PettySync local root CA",
                Clock.systemUTC());
        X509Certificate[] forged = {sameName.issueServer(List.of("localhost")).certificate()};
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(forged, "ECDHE_ECDSA", (SSLEngine) null));
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(forged, "ECDHE_ECDSA", (SSLEngine) null));
        assertEquals(1, trust.remembered());
        assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA", (SSLEngine) null));
    }
}
