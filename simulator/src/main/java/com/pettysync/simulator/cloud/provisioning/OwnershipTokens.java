package com.pettysync.simulator.cloud.provisioning;

import com.pettysync.simulator.cloud.provisioning.ProvisioningRefusal.Reason;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The certificate ownership tokens of fleet provisioning: each one opaque (256 random bits, URL-safe Base64), bound
 * to one certificate, valid for {@link #LIFETIME} on the injected clock from its issue, and redeemable once.
 *
 * <p>Guarantee: a token proves nothing after its lifetime or after it was {@linkplain #consume consumed}; tokens
 * are compared as whole strings only. Failure model: tokens live in memory — a process restart forgets them all, so
 * a device whose token was lost asks for a new certificate (as it must after an expiry on AWS). Used and expired
 * tokens are remembered until {@link #expire} runs past their expiry, so that a refusal can say which it was; the
 * ledger holds at most one hour of issued tokens. Not thread-safe: {@link FleetProvisioningService} holds its lock.
 */
final class OwnershipTokens {
    /**
     * AWS: "For security, the certificateOwnershipToken returned by CreateCertificateFromCsr expires after one hour.
     * RegisterThing must be called before the certificateOwnershipToken expires."
     * (https://docs.aws.amazon.com/iot/latest/developerguide/fleet-provision-api.html)
     */
    static final Duration LIFETIME = Duration.ofHours(1);

    private record Entry(String certificateId, Instant expiresAt, boolean used, boolean expiryReported) {}

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Entry> entries = new HashMap<>();

    OwnershipTokens(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A new token for {@code certificateId}, valid for {@link #LIFETIME} from now. */
    String issue(String certificateId) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        entries.put(token, new Entry(certificateId, clock.instant().plus(LIFETIME), false, false));
        return token;
    }

    /**
     * The certificate {@code token} proves ownership of.
     *
     * @throws ProvisioningRefusal {@link Reason#INVALID_OWNERSHIP_TOKEN}: empty, unknown, expired or already used
     */
    String certificateOf(String token) throws ProvisioningRefusal {
        if (token == null || token.isEmpty()) {
            throw refusal("Certificate ownership token cannot be empty.");
        }
        Entry e = entries.get(token);
        if (e == null) {
            throw refusal("The certificate ownership token is not valid.");
        }
        if (!clock.instant().isBefore(e.expiresAt())) {
            throw refusal("The certificate ownership token has expired (valid for " + LIFETIME.toMinutes()
                    + " minutes); create a new certificate.");
        }
        if (e.used()) {
            throw refusal("The certificate ownership token has already been used.");
        }
        return e.certificateId();
    }

    /** Marks {@code token} used: later {@link #certificateOf} calls refuse it. */
    void consume(String token) {
        entries.computeIfPresent(token, (k, e) -> new Entry(e.certificateId(), e.expiresAt(), true, e.expiryReported()));
    }

    /**
     * Returns, once each, the certificates whose token has expired unused since the last call, and forgets tokens
     * one {@link #LIFETIME} past their expiry.
     */
    List<String> expire() {
        Instant now = clock.instant();
        List<String> unclaimed = new ArrayList<>();
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Entry> kv = it.next();
            Entry e = kv.getValue();
            if (now.isBefore(e.expiresAt())) {
                continue;
            }
            boolean report = !e.used() && !e.expiryReported();
            if (report) {
                unclaimed.add(e.certificateId());
            }
            if (!now.isBefore(e.expiresAt().plus(LIFETIME))) {
                it.remove();
            } else if (report) {
                kv.setValue(new Entry(e.certificateId(), e.expiresAt(), false, true));
            }
        }
        return unclaimed;
    }

    private static ProvisioningRefusal refusal(String message) {
        return new ProvisioningRefusal(Reason.INVALID_OWNERSHIP_TOKEN, message);
    }
}
