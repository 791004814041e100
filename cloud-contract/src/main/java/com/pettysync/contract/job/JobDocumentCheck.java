package com.pettysync.contract.job;

import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Objects;

/**
 * Decides whether a collar takes a firmware or model update job (wire contract §7), before and after download.
 *
 * <p>Before download ({@link #check(String, CollarFacts)} / {@link #check(JobDocument, CollarFacts)}), in this
 * order, the first failing rule decides:
 * <ol>
 *   <li>the document is invalid (unknown operation, missing signature, bad URL, …) → REJECT with
 *       {@code field: reason};</li>
 *   <li>the signature is not a valid P-256 signature of {@code sha256} by the trusted key → REJECT
 *       ({@code signature: does not verify with the trusted key});</li>
 *   <li>{@code version} is not newer than the running firmware build / model version → REJECT;</li>
 *   <li>{@code size} exceeds the free space → REJECT;</li>
 *   <li>the battery is below {@code minBatteryPct} → DEFER (see {@link JobVerdict});</li>
 *   <li>otherwise ACCEPT.</li>
 * </ol>
 * After download, {@link #checkArtifact(JobDocument, long, byte[])} compares the received size and SHA-256 with the
 * document; the signature already binds that digest, so a matching digest means a correctly signed artifact.
 * No method throws on bad input.
 */
public final class JobDocumentCheck {
    private final PublicKey trustedKey;

    /**
     * @param trustedKey the P-256 public key whose signatures the collar trusts (installed at the factory)
     * @throws IllegalArgumentException if the key is not an EC P-256 public key
     */
    public JobDocumentCheck(PublicKey trustedKey) {
        Objects.requireNonNull(trustedKey, "trustedKey");
        if (!JobSignature.isP256(trustedKey)) {
            throw new IllegalArgumentException("the trusted key must be an EC P-256 public key");
        }
        this.trustedKey = trustedKey;
    }

    /** Parses and checks a job document text. Never throws. */
    public JobVerdict check(String jobDocumentJson, CollarFacts facts) {
        JobDocument doc;
        try {
            doc = JobDocument.parse(jobDocumentJson);
        } catch (JobDocumentException e) {
            return JobVerdict.reject(e.getMessage());
        }
        return check(doc, facts);
    }

    /** Checks a parsed job document. Never throws. */
    public JobVerdict check(JobDocument doc, CollarFacts facts) {
        if (!JobSignature.verify(trustedKey, doc.sha256Bytes(), doc.signatureBytes())) {
            return JobVerdict.reject("signature: does not verify with the trusted key");
        }
        long running = doc.operation() == JobOperation.FIRMWARE_UPDATE ? facts.firmwareBuild() : facts.modelVersion();
        String what = doc.operation() == JobOperation.FIRMWARE_UPDATE ? "firmware build" : "model version";
        if (doc.version() <= running) {
            return JobVerdict.reject("version: " + doc.version() + " is not newer than the running " + what + " "
                    + running);
        }
        if (doc.size() > facts.freeSpaceBytes()) {
            return JobVerdict.reject("size: " + doc.size() + " bytes exceeds the free space of "
                    + facts.freeSpaceBytes() + " bytes");
        }
        if (doc.minBatteryPct().isPresent() && facts.batteryPct() < doc.minBatteryPct().getAsInt()) {
            return JobVerdict.defer("minBatteryPct: battery " + facts.batteryPct() + " % is below "
                    + doc.minBatteryPct().getAsInt() + " %");
        }
        return JobVerdict.accept();
    }

    /**
     * Checks a downloaded artifact against its (already checked) document: same size, same SHA-256. Never throws.
     *
     * @param sha256 the SHA-256 of the downloaded bytes
     */
    public JobVerdict checkArtifact(JobDocument doc, long downloadedSize, byte[] sha256) {
        if (downloadedSize != doc.size()) {
            return JobVerdict.reject("size: downloaded " + downloadedSize + " bytes, the document says "
                    + doc.size());
        }
        if (sha256 == null || !MessageDigest.isEqual(sha256, doc.sha256Bytes())) {
            return JobVerdict.reject("sha256: the downloaded artifact does not match");
        }
        return JobVerdict.accept();
    }
}
