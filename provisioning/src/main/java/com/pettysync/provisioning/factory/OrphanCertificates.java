package com.pettysync.provisioning.factory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.tinylog.Logger;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Certificate;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.ListCertificatesResponse;

/**
 * Finds the certificates a killed run had the account issue but never recorded: for every collar whose last
 * journaled request has no answer, the INACTIVE certificate created since that request whose public key is the
 * collar's. Certificates are issued INACTIVE and activated only once attached, so an unrecorded one can never have
 * been used; adopting it (instead of creating another) is what keeps a re-run from leaving orphans in the account.
 *
 * <p>Cost: ListCertificates pages newest first back to the oldest unanswered request (minus a clock-skew margin),
 * and one DescribeCertificate per INACTIVE certificate in that span that no journal record knows — after a kill that
 * is about as many as there were requests in flight.
 */
final class OrphanCertificates {
    /** Tolerance between this machine's clock and the account's creation dates. */
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final int PAGE = 250;

    private OrphanCertificates() {}

    /** The adopted certificate id by thing, for the unanswered requests that have one. */
    static Map<String, String> find(IotClient iot, RateLimits limits, Map<String, ProvisioningJournal.Entry> unanswered,
            Set<String> known) throws IOException {
        if (unanswered.isEmpty()) {
            return Map.of();
        }
        Map<String, String> thingByKey = new HashMap<>();
        Instant since = Instant.MAX;
        for (ProvisioningJournal.Entry e : unanswered.values()) {
            thingByKey.put(e.keyId(), e.thing());
            if (e.at().isBefore(since)) {
                since = e.at();
            }
        }
        since = since.minus(SKEW);
        Map<String, String> adopted = new HashMap<>();
        String marker = null;
        scan:
        do {
            limits.acquire(ControlPlaneApi.LIST_CERTIFICATES);
            String m = marker;
            ListCertificatesResponse page = iot.listCertificates(r -> r.pageSize(PAGE).ascendingOrder(false)
                    .marker(m));
            for (Certificate c : page.certificates()) {
                if (c.creationDate() != null && c.creationDate().isBefore(since)) {
                    break scan;
                }
                if (c.status() != CertificateStatus.INACTIVE || known.contains(c.certificateId())) {
                    continue;
                }
                limits.acquire(ControlPlaneApi.DESCRIBE_CERTIFICATE);
                String pem = iot.describeCertificate(r -> r.certificateId(c.certificateId()))
                        .certificateDescription().certificatePem();
                String thing = thingByKey.get(PublicKeyId.ofCertificatePem(pem, c.certificateId()).hex());
                if (thing != null) {
                    adopted.put(thing, c.certificateId());
                    Logger.info("provision: {}: adopting certificate {} issued before an interrupted run ended",
                            thing, c.certificateId());
                }
            }
            marker = page.nextMarker();
        } while (marker != null && adopted.size() < unanswered.size());
        return adopted;
    }
}
