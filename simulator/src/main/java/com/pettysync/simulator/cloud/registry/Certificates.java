package com.pettysync.simulator.cloud.registry;

import com.pettysync.provisioning.ca.PemFiles;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The certificates of the registry — registration (what CreateCertificateFromCsr, fleet provisioning and the local
 * CA's {@code issueCollar} do), DescribeCertificate, UpdateCertificate, DeleteCertificate, ListCertificates. A
 * certificate's id is the lowercase hex SHA-256 of its DER encoding, as AWS IoT computes it. Status changes and
 * deletions are announced to the registry's listeners after they commit (the broker closes connections that may
 * no longer stay open). See {@link Registry} for the guarantees.
 */
public final class Certificates {
    private final RegistryDatabase db;
    private final Arns arns;
    private final Clock clock;
    private final Consumer<String> changed;

    Certificates(RegistryDatabase db, Arns arns, Clock clock, Consumer<String> changed) {
        this.db = db;
        this.arns = arns;
        this.clock = clock;
        this.changed = changed;
    }

    /** AWS IoT's certificate id: lowercase hex SHA-256 of the DER encoding. */
    public static String idOf(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("cannot encode the certificate: " + e.getMessage(), e);
        }
    }

    /**
     * Registers {@code certificate}, signed by {@code issuer}, with {@code status}.
     *
     * @throws RegistryException ALREADY_EXISTS (with its id and ARN) when it is registered already
     */
    public RegisteredCertificate register(X509Certificate certificate, X509Certificate issuer,
            CertificateStatus status) {
        return db.write(c -> register(c, certificate, issuer, status));
    }

    RegisteredCertificate register(Connection c, X509Certificate certificate, X509Certificate issuer,
            CertificateStatus status) throws SQLException {
        String id = idOf(certificate);
        if (Rows.exists(c, "SELECT 1 FROM certificates WHERE id = ?", id)) {
            throw RegistryException.alreadyExists("certificate " + id + " is already registered", id,
                    arns.certificate(id));
        }
        long now = clock.millis();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO certificates(id, pem, status, ca_id, created_ms, "
                + "modified_ms, not_before_ms, not_after_ms, customer_version, generation) VALUES (?,?,?,?,?,?,?,?,1,1)")) {
            s.setString(1, id);
            s.setString(2, PemFiles.certificatesPem(List.of(certificate)));
            s.setString(3, status.name());
            s.setString(4, issuer == null ? null : idOf(issuer));
            s.setLong(5, now);
            s.setLong(6, now);
            s.setLong(7, certificate.getNotBefore().getTime());
            s.setLong(8, certificate.getNotAfter().getTime());
            s.executeUpdate();
        }
        return find(c, id).orElseThrow();
    }

    /** The certificate with {@code id}, if registered (an id of the wrong shape is simply not found). */
    public Optional<RegisteredCertificate> find(String id) {
        return db.read(c -> find(c, id));
    }

    /** DescribeCertificate. @throws RegistryException INVALID for a malformed id, NOT_FOUND */
    public RegisteredCertificate describe(String id) {
        Names.certificateId(id);
        return find(id).orElseThrow(() -> RegistryException.notFound("certificate " + id + " does not exist"));
    }

    /**
     * UpdateCertificate: sets the status. PENDING_TRANSFER and PENDING_ACTIVATION are AWS's internal statuses and
     * cannot be set; a REVOKED certificate stays revoked.
     *
     * @throws RegistryException INVALID, NOT_FOUND, CERTIFICATE_STATE
     */
    public RegisteredCertificate updateStatus(String id, CertificateStatus newStatus) {
        Names.certificateId(id);
        if (newStatus == CertificateStatus.PENDING_TRANSFER || newStatus == CertificateStatus.PENDING_ACTIVATION) {
            throw RegistryException.invalid("newStatus " + newStatus + " is used internally by AWS IoT and cannot be "
                    + "set");
        }
        RegisteredCertificate updated = db.write(c -> {
            RegisteredCertificate cert = find(c, id).orElseThrow(() -> RegistryException.notFound("certificate " + id
                    + " does not exist"));
            if (cert.status() == CertificateStatus.REVOKED && newStatus != CertificateStatus.REVOKED) {
                throw new RegistryException(RegistryException.Reason.CERTIFICATE_STATE, "certificate " + id
                        + " is revoked and cannot become " + newStatus);
            }
            if (cert.status() == CertificateStatus.PENDING_TRANSFER) {
                throw new RegistryException(RegistryException.Reason.CERTIFICATE_STATE, "certificate " + id
                        + " is pending transfer");
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE certificates SET status = ?, modified_ms = ?, "
                    + "customer_version = customer_version + 1, generation = generation + 1 WHERE id = ?")) {
                s.setString(1, newStatus.name());
                s.setLong(2, clock.millis());
                s.setString(3, id);
                s.executeUpdate();
            }
            return find(c, id).orElseThrow();
        });
        changed.accept(id);
        return updated;
    }

    /**
     * DeleteCertificate: only when not ACTIVE and attached to no thing; attached policies refuse it too unless
     * {@code forceDelete} (which detaches them), as AWS.
     *
     * @throws RegistryException INVALID, NOT_FOUND, CERTIFICATE_STATE (active), DELETE_CONFLICT (attached)
     */
    public void delete(String id, boolean forceDelete) {
        Names.certificateId(id);
        String arn = arns.certificate(id);
        db.write(c -> {
            RegisteredCertificate cert = find(c, id).orElseThrow(() -> RegistryException.notFound("certificate " + id
                    + " does not exist"));
            if (cert.status() == CertificateStatus.ACTIVE) {
                throw new RegistryException(RegistryException.Reason.CERTIFICATE_STATE, "certificate " + id
                        + " is ACTIVE: deactivate it (UpdateCertificate INACTIVE or REVOKED) before deleting it");
            }
            if (Rows.exists(c, "SELECT 1 FROM thing_principals WHERE principal = ?", arn)) {
                throw new RegistryException(RegistryException.Reason.DELETE_CONFLICT, "certificate " + id
                        + " is attached to a thing: DetachThingPrincipal first");
            }
            if (!forceDelete && Rows.exists(c, "SELECT 1 FROM policy_targets WHERE target = ?", arn)) {
                throw new RegistryException(RegistryException.Reason.DELETE_CONFLICT, "certificate " + id
                        + " has policies attached: DetachPolicy first (or forceDelete)");
            }
            Rows.update(c, "DELETE FROM policy_targets WHERE target = ?", arn);
            Rows.update(c, "DELETE FROM certificates WHERE id = ?", id);
            return null;
        });
        changed.accept(id);
    }

    /**
     * ListCertificates: by creation date, newest first unless {@code ascending}; at most {@code pageSize}
     * (default 25) per page; {@code marker} is a previous page's next marker.
     */
    public Page<RegisteredCertificate> list(Integer pageSize, String marker, boolean ascending) {
        int max = Rows.pageSize("pageSize", pageSize, 25);
        String after = Rows.untoken("marker", marker);
        long afterMs = 0;
        String afterId = "";
        if (!after.isEmpty()) {
            int colon = after.indexOf(':');
            try {
                afterMs = Long.parseLong(after.substring(0, colon));
                afterId = after.substring(colon + 1);
            } catch (RuntimeException e) {
                throw RegistryException.invalid("marker is not a marker this service returned: \"" + marker + "\"");
            }
        }
        String where = after.isEmpty() ? "" : ascending ? " WHERE (created_ms, id) > (?, ?)"
                : " WHERE (created_ms, id) < (?, ?)";
        String order = ascending ? " ORDER BY created_ms, id" : " ORDER BY created_ms DESC, id DESC";
        long ms = afterMs;
        String id = afterId;
        return db.read(c -> {
            List<RegisteredCertificate> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM certificates" + where + order
                    + " LIMIT ?")) {
                int i = 1;
                if (!where.isEmpty()) {
                    s.setLong(i++, ms);
                    s.setString(i++, id);
                }
                s.setInt(i, max + 1);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        out.add(certificate(r));
                    }
                }
            }
            if (out.size() > max) {
                out = out.subList(0, max);
                RegisteredCertificate last = out.get(max - 1);
                return new Page<>(out, Rows.token(last.creationDate().toEpochMilli() + ":" + last.id()));
            }
            return new Page<>(out, null);
        });
    }

    private static final String COLUMNS = "id, pem, status, ca_id, created_ms, modified_ms, not_before_ms, "
            + "not_after_ms, customer_version, generation";

    Optional<RegisteredCertificate> find(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM certificates WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(certificate(r)) : Optional.empty();
            }
        }
    }

    private RegisteredCertificate certificate(ResultSet r) throws SQLException {
        String id = r.getString(1);
        return new RegisteredCertificate(id, arns.certificate(id), r.getString(2),
                CertificateStatus.valueOf(r.getString(3)), r.getString(4), Instant.ofEpochMilli(r.getLong(5)),
                Instant.ofEpochMilli(r.getLong(6)), Instant.ofEpochMilli(r.getLong(7)),
                Instant.ofEpochMilli(r.getLong(8)), r.getInt(9), Long.toString(r.getLong(10)));
    }
}
