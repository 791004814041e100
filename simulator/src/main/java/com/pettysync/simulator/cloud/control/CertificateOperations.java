package com.pettysync.simulator.cloud.control;

import static com.pettysync.simulator.cloud.control.ApiRequest.required;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.ca.InvalidCsrException;
import com.pettysync.provisioning.ca.LocalCertificateAuthority;
import com.pettysync.simulator.cloud.registry.CertificateStatus;
import com.pettysync.simulator.cloud.registry.Page;
import com.pettysync.simulator.cloud.registry.RegisteredCertificate;
import com.pettysync.simulator.cloud.registry.Registry;
import java.security.cert.X509Certificate;

/**
 * Certificates over AWS IoT's REST bindings: CreateCertificateFromCsr (signed by the local CA, registered ACTIVE
 * when {@code setAsActive}, else INACTIVE), DescribeCertificate, UpdateCertificate, DeleteCertificate,
 * ListCertificates. A CSR that is not PKCS#10, has a key other than EC P-256 / RSA ≥ 2048, or a signature that does
 * not verify → InvalidRequestException with the reason.
 */
final class CertificateOperations {
    private final Registry registry;
    private final LocalCertificateAuthority ca;
    private final String account;

    CertificateOperations(Registry registry, LocalCertificateAuthority ca) {
        this.registry = registry;
        this.ca = ca;
        this.account = registry.arns().account();
    }

    void register(Router r) {
        r.add("CreateCertificateFromCsr", "POST", "/certificates", this::createFromCsr);
        r.add("DescribeCertificate", "GET", "/certificates/{certificateId}", this::describe);
        r.add("UpdateCertificate", "PUT", "/certificates/{certificateId}", this::update);
        r.add("DeleteCertificate", "DELETE", "/certificates/{certificateId}", this::delete);
        r.add("ListCertificates", "GET", "/certificates", this::list);
    }

    private JsonNode createFromCsr(ApiRequest q) {
        String pem = required("certificateSigningRequest", q.text("certificateSigningRequest"));
        CertificateSigningRequest csr;
        try {
            csr = CertificateSigningRequest.parsePem(pem);
        } catch (InvalidCsrException e) {
            throw ApiError.invalidRequest("certificateSigningRequest: " + e.getMessage());
        }
        X509Certificate issued = ca.issueFromCsr(csr);
        RegisteredCertificate c = registry.certificates().register(issued, ca.certificate(),
                q.queryBool("setAsActive") ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE);
        return ApiJson.object().put("certificateArn", c.arn()).put("certificateId", c.id())
                .put("certificatePem", c.pem());
    }

    private JsonNode describe(ApiRequest q) {
        RegisteredCertificate c = registry.certificates().describe(q.path("certificateId"));
        ObjectNode o = ApiJson.object();
        ObjectNode d = o.putObject("certificateDescription").put("certificateArn", c.arn())
                .put("certificateId", c.id());
        if (c.caCertificateId() != null) {
            d.put("caCertificateId", c.caCertificateId());
        }
        d.put("status", c.status().name()).put("certificatePem", c.pem()).put("ownedBy", account)
                .put("creationDate", ApiJson.time(c.creationDate()))
                .put("lastModifiedDate", ApiJson.time(c.lastModifiedDate()))
                .put("customerVersion", c.customerVersion()).put("generationId", c.generationId())
                .put("certificateMode", "DEFAULT");
        d.putObject("validity").put("notBefore", ApiJson.time(c.notBefore()))
                .put("notAfter", ApiJson.time(c.notAfter()));
        return o;
    }

    private JsonNode update(ApiRequest q) {
        String status = required("newStatus", q.query("newStatus"));
        CertificateStatus newStatus;
        try {
            newStatus = CertificateStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest("newStatus must be one of ACTIVE, INACTIVE, REVOKED, REGISTER_INACTIVE, got \""
                    + status + "\"");
        }
        registry.certificates().updateStatus(q.path("certificateId"), newStatus);
        return null;
    }

    private JsonNode delete(ApiRequest q) {
        registry.certificates().delete(q.path("certificateId"), q.queryBool("forceDelete"));
        return null;
    }

    private JsonNode list(ApiRequest q) {
        Page<RegisteredCertificate> page = registry.certificates().list(q.queryInt("pageSize"), q.query("marker"),
                q.queryBool("isAscendingOrder"));
        ObjectNode o = ApiJson.object();
        ArrayNode a = o.putArray("certificates");
        for (RegisteredCertificate c : page.items()) {
            a.addObject().put("certificateArn", c.arn()).put("certificateId", c.id()).put("status", c.status().name())
                    .put("certificateMode", "DEFAULT").put("creationDate", ApiJson.time(c.creationDate()));
        }
        if (page.nextToken() != null) {
            o.put("nextMarker", page.nextToken());
        }
        return o;
    }
}
