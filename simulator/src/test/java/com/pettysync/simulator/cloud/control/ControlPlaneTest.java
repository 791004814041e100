package com.pettysync.simulator.cloud.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.provisioning.ca.CertificateSigningRequest;
import com.pettysync.provisioning.ca.PemFiles;
import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.registry.Certificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iot.model.AbortAction;
import software.amazon.awssdk.services.iot.model.InvalidStateTransitionException;
import software.amazon.awssdk.services.iot.model.JobExecutionFailureType;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.Certificate;
import software.amazon.awssdk.services.iot.model.CertificateStateException;
import software.amazon.awssdk.services.iot.model.CertificateStatus;
import software.amazon.awssdk.services.iot.model.CreateCertificateFromCsrResponse;
import software.amazon.awssdk.services.iot.model.CreateThingResponse;
import software.amazon.awssdk.services.iot.model.DeleteConflictException;
import software.amazon.awssdk.services.iot.model.DescribeJobResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingGroupResponse;
import software.amazon.awssdk.services.iot.model.DescribeThingResponse;
import software.amazon.awssdk.services.iot.model.GetPolicyResponse;
import software.amazon.awssdk.services.iot.model.InvalidRequestException;
import software.amazon.awssdk.services.iot.model.JobExecutionStatus;
import software.amazon.awssdk.services.iot.model.JobExecutionSummaryForJob;
import software.amazon.awssdk.services.iot.model.ListThingsResponse;
import software.amazon.awssdk.services.iot.model.MalformedPolicyException;
import software.amazon.awssdk.services.iot.model.PolicyVersion;
import software.amazon.awssdk.services.iot.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.iot.model.ResourceNotFoundException;
import software.amazon.awssdk.services.iot.model.ThingAttribute;
import software.amazon.awssdk.services.iot.model.VersionConflictException;
import software.amazon.awssdk.services.iot.model.VersionsLimitExceededException;

/**
 * The control plane through the AWS SDK's own {@code IotClient} (real HTTPS, real SigV4): every operation's happy
 * path and the AWS error type of its refusals, as the SDK's exception classes. One local IoT Core for the class;
 * every test uses its own names.
 */
class ControlPlaneTest {
    private static final String ALLOW_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";

    @TempDir
    static Path dir;
    static LocalIotCore cloud;
    static IotClient iot;

    @BeforeAll
    static void start() {
        cloud = LocalIotCore.builder().directory(dir).build().start();
        iot = IotClients.of(cloud);
    }

    @AfterAll
    static void stop() {
        if (iot != null) {
            iot.close();
        }
        if (cloud != null) {
            cloud.close();
        }
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static CreateCertificateFromCsrResponse certificate(boolean active) throws Exception {
        String csr = CertificateSigningRequest.create(p256(), "ignored-cn").pem();
        return iot.createCertificateFromCsr(b -> b.certificateSigningRequest(csr).setAsActive(active));
    }

    // -------------------------------------------------------------------------------------------- thing types

    @Test
    void thingTypesAreCreatedOnceAndDescribed() {
        var created = iot.createThingType(b -> b.thingTypeName("collar-v1")
                .thingTypeProperties(p -> p.thingTypeDescription("PettySync collar rev 1")
                        .searchableAttributes("batch")));
        assertEquals("arn:aws:iot:us-east-1:123456789012:thingtype/collar-v1", created.thingTypeArn());
        var again = iot.createThingType(b -> b.thingTypeName("collar-v1")
                .thingTypeProperties(p -> p.thingTypeDescription("PettySync collar rev 1")
                        .searchableAttributes("batch")));
        assertEquals(created.thingTypeId(), again.thingTypeId(), "the same type again is no error");
        assertThrows(ResourceAlreadyExistsException.class, () -> iot.createThingType(b -> b.thingTypeName("collar-v1")
                .thingTypeProperties(p -> p.thingTypeDescription("other"))));
        var described = iot.describeThingType(b -> b.thingTypeName("collar-v1"));
        assertEquals("PettySync collar rev 1", described.thingTypeProperties().thingTypeDescription());
        assertEquals(List.of("batch"), described.thingTypeProperties().searchableAttributes());
        assertFalse(described.thingTypeMetadata().deprecated());
        assertNotNull(described.thingTypeMetadata().creationDate());
        assertThrows(ResourceNotFoundException.class, () -> iot.describeThingType(b -> b.thingTypeName("nope")));
    }

    // ------------------------------------------------------------------------------------------------ groups

    @Test
    void thingGroupsNestAndTakeThings() {
        iot.createThingGroup(b -> b.thingGroupName("fleet-eu"));
        var child = iot.createThingGroup(b -> b.thingGroupName("fleet-eu-pilot").parentGroupName("fleet-eu")
                .thingGroupProperties(p -> p.thingGroupDescription("pilot batch")
                        .attributePayload(a -> a.attributes(Map.of("wave", "1")))));
        DescribeThingGroupResponse d = iot.describeThingGroup(b -> b.thingGroupName("fleet-eu-pilot"));
        assertEquals(child.thingGroupId(), d.thingGroupId());
        assertEquals("fleet-eu", d.thingGroupMetadata().parentGroupName());
        assertEquals("fleet-eu", d.thingGroupMetadata().rootToParentThingGroups().get(0).groupName());
        assertEquals(Map.of("wave", "1"), d.thingGroupProperties().attributePayload().attributes());
        assertThrows(ResourceNotFoundException.class, () -> iot.createThingGroup(b -> b.thingGroupName("orphan")
                .parentGroupName("no-such-parent")));
        iot.createThing(b -> b.thingName("grp-collar-1"));
        iot.addThingToThingGroup(b -> b.thingGroupName("fleet-eu-pilot").thingName("grp-collar-1"));
        iot.addThingToThingGroup(b -> b.thingGroupArn(child.thingGroupArn()).thingName("grp-collar-1"));
        assertEquals(List.of("grp-collar-1"), cloud.registry().thingGroups().thingsIn("fleet-eu"),
                "a group's things include its child groups' things");
        assertThrows(ResourceNotFoundException.class, () -> iot.addThingToThingGroup(b -> b
                .thingGroupName("fleet-eu").thingName("no-such-thing")));
        assertThrows(ResourceNotFoundException.class, () -> iot.describeThingGroup(b -> b.thingGroupName("nope")));
    }

    // ------------------------------------------------------------------------------------------------ things

    @Test
    void createThingIsIdempotentForTheSameTypeAndAttributesOnly() {
        CreateThingResponse first = iot.createThing(b -> b.thingName("idem-1")
                .attributePayload(p -> p.attributes(Map.of("batch", "B7"))));
        assertEquals("arn:aws:iot:us-east-1:123456789012:thing/idem-1", first.thingArn());
        CreateThingResponse second = iot.createThing(b -> b.thingName("idem-1")
                .attributePayload(p -> p.attributes(Map.of("batch", "B7"))));
        assertEquals(first.thingId(), second.thingId());
        ResourceAlreadyExistsException e = assertThrows(ResourceAlreadyExistsException.class,
                () -> iot.createThing(b -> b.thingName("idem-1").attributePayload(p -> p.attributes(
                        Map.of("batch", "B8")))));
        assertEquals(409, e.statusCode());
        assertEquals(first.thingId(), e.resourceId());
        assertEquals(first.thingArn(), e.resourceArn());
        assertTrue(e.awsErrorDetails().errorMessage().contains("idem-1"), e.getMessage());
        assertThrows(ResourceNotFoundException.class, () -> iot.createThing(b -> b.thingName("idem-2")
                .thingTypeName("no-such-type")));
    }

    @Test
    void namesAndAttributesFollowAwsRules() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> iot.createThing(b -> b.thingName("bad name")));
        assertEquals(400, e.statusCode());
        assertTrue(e.getMessage().contains("thingName"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> iot.createThing(b -> b.thingName("x".repeat(129))));
        assertThrows(InvalidRequestException.class, () -> iot.createThing(b -> b.thingName("attr-bad")
                .attributePayload(p -> p.attributes(Map.of("colour", "dark blue")))));
        InvalidRequestException tooMany = assertThrows(InvalidRequestException.class,
                () -> iot.createThing(b -> b.thingName("attr-many").attributePayload(p -> p.attributes(
                        Map.of("a", "1", "b", "2", "c", "3", "d", "4")))));
        assertTrue(tooMany.getMessage().contains("at most 3"), tooMany.getMessage());
        iot.createThingType(b -> b.thingTypeName("typed-for-attrs"));
        iot.createThing(b -> b.thingName("attr-typed").thingTypeName("typed-for-attrs").attributePayload(p -> p
                .attributes(Map.of("a", "1", "b", "2", "c", "3", "d", "4"))));
        iot.createThing(b -> b.thingName("collar:42_a-b"));
    }

    @Test
    void updateThingMergesOrReplacesAttributesAndChecksTheVersion() {
        iot.createThingType(b -> b.thingTypeName("upd-type"));
        iot.createThing(b -> b.thingName("upd-1").attributePayload(p -> p.attributes(Map.of("a", "1", "b", "2"))));
        iot.updateThing(b -> b.thingName("upd-1").attributePayload(p -> p.attributes(Map.of("b", "", "c", "3"))
                .merge(true)));
        DescribeThingResponse merged = iot.describeThing(b -> b.thingName("upd-1"));
        assertEquals(Map.of("a", "1", "c", "3"), merged.attributes(), "merge adds, an empty value removes");
        assertEquals(2L, merged.version());
        assertEquals("upd-1", merged.defaultClientId());
        iot.updateThing(b -> b.thingName("upd-1").attributePayload(p -> p.attributes(Map.of("z", "9")))
                .expectedVersion(2L).thingTypeName("upd-type"));
        DescribeThingResponse replaced = iot.describeThing(b -> b.thingName("upd-1"));
        assertEquals(Map.of("z", "9"), replaced.attributes(), "without merge the attributes are replaced");
        assertEquals("upd-type", replaced.thingTypeName());
        assertThrows(VersionConflictException.class, () -> iot.updateThing(b -> b.thingName("upd-1")
                .expectedVersion(1L).removeThingType(true)));
        iot.updateThing(b -> b.thingName("upd-1").removeThingType(true));
        assertNull(iot.describeThing(b -> b.thingName("upd-1")).thingTypeName());
        assertThrows(ResourceNotFoundException.class, () -> iot.updateThing(b -> b.thingName("upd-missing")
                .attributePayload(p -> p.attributes(Map.of("a", "1")))));
    }

    @Test
    void deleteThingNeedsItsPrincipalsDetachedAndForgetsUnknownThings() throws Exception {
        iot.deleteThing(b -> b.thingName("never-existed"));
        iot.createThing(b -> b.thingName("del-1"));
        String cert = certificate(true).certificateArn();
        iot.attachThingPrincipal(b -> b.thingName("del-1").principal(cert));
        assertThrows(InvalidRequestException.class, () -> iot.deleteThing(b -> b.thingName("del-1")));
        assertThrows(VersionConflictException.class, () -> iot.deleteThing(b -> b.thingName("del-1")
                .expectedVersion(7L)));
        iot.detachThingPrincipal(b -> b.thingName("del-1").principal(cert));
        iot.deleteThing(b -> b.thingName("del-1"));
        assertThrows(ResourceNotFoundException.class, () -> iot.describeThing(b -> b.thingName("del-1")));
    }

    @Test
    void listThingsPagesAndFilters() {
        iot.createThingType(b -> b.thingTypeName("list-type"));
        for (int i = 0; i < 5; i++) {
            String name = "list-" + i;
            String batch = i % 2 == 0 ? "even" : "odd";
            iot.createThing(b -> b.thingName(name).thingTypeName("list-type")
                    .attributePayload(p -> p.attributes(Map.of("parity", batch))));
        }
        List<String> paged = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String t = token;
            ListThingsResponse page = iot.listThings(b -> b.thingTypeName("list-type").maxResults(2).nextToken(t));
            page.things().forEach(x -> paged.add(x.thingName()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertEquals(List.of("list-0", "list-1", "list-2", "list-3", "list-4"), paged);
        assertEquals(3, pages);
        List<String> evens = iot.listThingsPaginator(b -> b.attributeName("parity").attributeValue("even")).things()
                .stream().map(ThingAttribute::thingName).toList();
        assertEquals(List.of("list-0", "list-2", "list-4"), evens);
        ThingAttribute one = iot.listThings(b -> b.thingTypeName("list-type").maxResults(1)).things().get(0);
        assertEquals("list-type", one.thingTypeName());
        assertEquals(Map.of("parity", "even"), one.attributes());
        assertEquals(1L, one.version());
        assertThrows(InvalidRequestException.class, () -> iot.listThings(b -> b.maxResults(251)));
        assertThrows(InvalidRequestException.class, () -> iot.listThings(b -> b.nextToken("%%%")));
    }

    // ---------------------------------------------------------------------------------------- certificates

    @Test
    void certificateFromCsrIsSignedByTheLocalCaAndRegisteredUnderItsSha256() throws Exception {
        KeyPair keys = p256();
        String csr = CertificateSigningRequest.create(keys, "collar-csr-1").pem();
        CreateCertificateFromCsrResponse r = iot.createCertificateFromCsr(b -> b.certificateSigningRequest(csr)
                .setAsActive(true));
        X509Certificate cert = PemFiles.parseCertificates(r.certificatePem(), "reply").get(0);
        assertEquals(Certificates.idOf(cert), r.certificateId());
        assertEquals("arn:aws:iot:us-east-1:123456789012:cert/" + r.certificateId(), r.certificateArn());
        assertEquals(keys.getPublic(), cert.getPublicKey());
        assertEquals("CN=collar-csr-1", cert.getSubjectX500Principal().getName());
        assertTrue(cloud.certificateAuthority().verifies(cert));
        var d = iot.describeCertificate(b -> b.certificateId(r.certificateId())).certificateDescription();
        assertEquals(CertificateStatus.ACTIVE, d.status());
        assertEquals(Certificates.idOf(cloud.certificateAuthority().certificate()), d.caCertificateId());
        assertEquals("123456789012", d.ownedBy());
        assertTrue(Math.abs(d.creationDate().getEpochSecond() - Instant.now().getEpochSecond()) < 600);
        assertEquals(cert.getNotAfter().toInstant(), d.validity().notAfter());
        String inactive = certificateIdOf(false);
        assertEquals(CertificateStatus.INACTIVE, iot.describeCertificate(b -> b.certificateId(inactive))
                .certificateDescription().status(), "setAsActive false → INACTIVE");
    }

    private static String certificateIdOf(boolean active) throws Exception {
        return certificate(active).certificateId();
    }

    @Test
    void badCsrIsRefusedWithTheReason() throws Exception {
        InvalidRequestException garbage = assertThrows(InvalidRequestException.class,
                () -> iot.createCertificateFromCsr(b -> b.certificateSigningRequest("not a csr")));
        assertTrue(garbage.getMessage().contains("certificateSigningRequest"), garbage.getMessage());
        byte[] der = CertificateSigningRequest.create(p256(), "x").der();
        der[der.length - 2] ^= 1;
        String broken = "-----BEGIN CERTIFICATE REQUEST-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";
        InvalidRequestException signature = assertThrows(InvalidRequestException.class,
                () -> iot.createCertificateFromCsr(b -> b.certificateSigningRequest(broken)));
        assertTrue(signature.getMessage().contains("signature"), signature.getMessage());
        assertThrows(ResourceNotFoundException.class, () -> iot.describeCertificate(b -> b.certificateId(
                "0".repeat(64))));
        assertThrows(InvalidRequestException.class, () -> iot.describeCertificate(b -> b.certificateId("abc")));
    }

    @Test
    void certificateIsDeletedOnlyWhenNotActiveAndDetached() throws Exception {
        CreateCertificateFromCsrResponse c = certificate(true);
        String id = c.certificateId();
        iot.createThing(b -> b.thingName("cert-life"));
        iot.createPolicy(b -> b.policyName("cert-life-policy").policyDocument(ALLOW_ALL));
        iot.attachPolicy(b -> b.policyName("cert-life-policy").target(c.certificateArn()));
        iot.attachThingPrincipal(b -> b.thingName("cert-life").principal(c.certificateArn()));
        CertificateStateException active = assertThrows(CertificateStateException.class,
                () -> iot.deleteCertificate(b -> b.certificateId(id)));
        assertEquals(406, active.statusCode());
        iot.updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.INACTIVE));
        assertEquals(CertificateStatus.INACTIVE, iot.describeCertificate(b -> b.certificateId(id))
                .certificateDescription().status());
        assertThrows(DeleteConflictException.class, () -> iot.deleteCertificate(b -> b.certificateId(id)),
                "still attached to a thing");
        iot.detachThingPrincipal(b -> b.thingName("cert-life").principal(c.certificateArn()));
        assertThrows(DeleteConflictException.class, () -> iot.deleteCertificate(b -> b.certificateId(id)),
                "still has a policy");
        iot.updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.REVOKED));
        assertThrows(CertificateStateException.class, () -> iot.updateCertificate(b -> b.certificateId(id)
                .newStatus(CertificateStatus.ACTIVE)), "a revoked certificate stays revoked");
        assertThrows(InvalidRequestException.class, () -> iot.updateCertificate(b -> b.certificateId(id)
                .newStatus(CertificateStatus.PENDING_TRANSFER)));
        iot.deleteCertificate(b -> b.certificateId(id).forceDelete(true));
        assertThrows(ResourceNotFoundException.class, () -> iot.describeCertificate(b -> b.certificateId(id)));
        assertTrue(iot.listAttachedPolicies(b -> b.target(c.certificateArn())).policies().isEmpty(),
                "forceDelete detached the policy");
    }

    @Test
    void listCertificatesPagesInCreationOrder() throws Exception {
        Set<String> mine = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            mine.add(certificateIdOf(true));
        }
        for (boolean ascending : List.of(true, false)) {
            List<Certificate> all = new ArrayList<>();
            String marker = null;
            do {
                String m = marker;
                var page = iot.listCertificates(b -> b.pageSize(1).marker(m).ascendingOrder(ascending));
                assertTrue(page.certificates().size() <= 1);
                all.addAll(page.certificates());
                marker = page.nextMarker();
            } while (marker != null);
            assertTrue(all.stream().map(Certificate::certificateId).toList().containsAll(mine));
            assertEquals(all.size(), all.stream().map(Certificate::certificateId).distinct().count(),
                    "each certificate once");
            for (int i = 1; i < all.size(); i++) {
                int order = all.get(i - 1).creationDate().compareTo(all.get(i).creationDate());
                assertTrue(ascending ? order <= 0 : order >= 0, "sorted by creation date");
            }
            all.forEach(c -> assertNotNull(c.creationDate()));
        }
    }

    // ---------------------------------------------------------------------------------------------- policies

    @Test
    void policiesKeepAtMostFiveVersionsAndOneDefault() {
        var created = iot.createPolicy(b -> b.policyName("pol-versions").policyDocument(ALLOW_ALL));
        assertEquals("1", created.policyVersionId());
        assertEquals("arn:aws:iot:us-east-1:123456789012:policy/pol-versions", created.policyArn());
        assertThrows(ResourceAlreadyExistsException.class, () -> iot.createPolicy(b -> b.policyName("pol-versions")
                .policyDocument(ALLOW_ALL)));
        for (int v = 2; v <= 5; v++) {
            boolean isDefault = v == 3;
            var version = iot.createPolicyVersion(b -> b.policyName("pol-versions").policyDocument(ALLOW_ALL)
                    .setAsDefault(isDefault));
            assertEquals(Integer.toString(v), version.policyVersionId());
            assertEquals(isDefault, version.isDefaultVersion());
        }
        VersionsLimitExceededException limit = assertThrows(VersionsLimitExceededException.class,
                () -> iot.createPolicyVersion(b -> b.policyName("pol-versions").policyDocument(ALLOW_ALL)));
        assertEquals(409, limit.statusCode());
        GetPolicyResponse policy = iot.getPolicy(b -> b.policyName("pol-versions"));
        assertEquals("3", policy.defaultVersionId());
        List<PolicyVersion> versions = iot.listPolicyVersions(b -> b.policyName("pol-versions")).policyVersions();
        assertEquals(List.of("5", "4", "3", "2", "1"), versions.stream().map(PolicyVersion::versionId).toList());
        assertEquals(List.of("3"), versions.stream().filter(PolicyVersion::isDefaultVersion)
                .map(PolicyVersion::versionId).toList());
        assertThrows(DeleteConflictException.class, () -> iot.deletePolicyVersion(b -> b.policyName("pol-versions")
                .policyVersionId("3")));
        iot.deletePolicyVersion(b -> b.policyName("pol-versions").policyVersionId("1"));
        iot.createPolicyVersion(b -> b.policyName("pol-versions").policyDocument(ALLOW_ALL));
        assertEquals("6", iot.listPolicyVersions(b -> b.policyName("pol-versions")).policyVersions().get(0)
                .versionId(), "version ids are never reused");
        iot.setDefaultPolicyVersion(b -> b.policyName("pol-versions").policyVersionId("6"));
        var six = iot.getPolicyVersion(b -> b.policyName("pol-versions").policyVersionId("6"));
        assertTrue(six.isDefaultVersion());
        assertEquals(ALLOW_ALL, six.policyDocument());
        assertThrows(ResourceNotFoundException.class, () -> iot.getPolicyVersion(b -> b.policyName("pol-versions")
                .policyVersionId("1")));
        assertThrows(ResourceNotFoundException.class, () -> iot.setDefaultPolicyVersion(b -> b
                .policyName("pol-versions").policyVersionId("9")));
        assertThrows(ResourceNotFoundException.class, () -> iot.getPolicy(b -> b.policyName("no-such-policy")));
    }

    @Test
    void malformedPolicyDocumentsAreRefused() {
        MalformedPolicyException e = assertThrows(MalformedPolicyException.class,
                () -> iot.createPolicy(b -> b.policyName("pol-bad").policyDocument("{\"Statement\": []}")));
        assertEquals(400, e.statusCode());
        assertThrows(MalformedPolicyException.class, () -> iot.createPolicy(b -> b.policyName("pol-bad")
                .policyDocument("not json")));
        assertThrows(InvalidRequestException.class, () -> iot.createPolicy(b -> b.policyName("bad name!")
                .policyDocument(ALLOW_ALL)));
    }

    @Test
    void policiesAttachToCertificates() throws Exception {
        CreateCertificateFromCsrResponse c = certificate(true);
        iot.createPolicy(b -> b.policyName("pol-attach-b").policyDocument(ALLOW_ALL));
        iot.createPolicy(b -> b.policyName("pol-attach-a").policyDocument(ALLOW_ALL));
        iot.attachPolicy(b -> b.policyName("pol-attach-b").target(c.certificateArn()));
        iot.attachPolicy(b -> b.policyName("pol-attach-a").target(c.certificateArn()));
        iot.attachPolicy(b -> b.policyName("pol-attach-a").target(c.certificateArn()));
        var attached = iot.listAttachedPolicies(b -> b.target(c.certificateArn())).policies();
        assertEquals(List.of("pol-attach-a", "pol-attach-b"), attached.stream().map(p -> p.policyName()).toList());
        assertEquals("arn:aws:iot:us-east-1:123456789012:policy/pol-attach-a", attached.get(0).policyArn());
        var firstPage = iot.listAttachedPolicies(b -> b.target(c.certificateArn()).pageSize(1));
        assertEquals(1, firstPage.policies().size());
        assertEquals("pol-attach-b", iot.listAttachedPolicies(b -> b.target(c.certificateArn()).pageSize(1)
                .marker(firstPage.nextMarker())).policies().get(0).policyName());
        iot.detachPolicy(b -> b.policyName("pol-attach-b").target(c.certificateArn()));
        assertEquals(1, iot.listAttachedPolicies(b -> b.target(c.certificateArn())).policies().size());
        assertThrows(ResourceNotFoundException.class, () -> iot.attachPolicy(b -> b.policyName("no-such-policy")
                .target(c.certificateArn())));
        assertThrows(ResourceNotFoundException.class, () -> iot.attachPolicy(b -> b.policyName("pol-attach-a")
                .target("arn:aws:iot:us-east-1:123456789012:cert/" + "f".repeat(64))));
        assertThrows(InvalidRequestException.class, () -> iot.attachPolicy(b -> b.policyName("pol-attach-a")
                .target("arn:aws:iam::123456789012:user/someone")));
    }

    // ----------------------------------------------------------------------------------------- principals

    @Test
    void thingPrincipalsAreListedBothWays() throws Exception {
        String a = certificate(true).certificateArn();
        String b2 = certificate(true).certificateArn();
        iot.createThing(b -> b.thingName("princ-1"));
        iot.createThing(b -> b.thingName("princ-2"));
        iot.attachThingPrincipal(b -> b.thingName("princ-1").principal(a));
        iot.attachThingPrincipal(b -> b.thingName("princ-1").principal(b2));
        iot.attachThingPrincipal(b -> b.thingName("princ-2").principal(a));
        assertEquals(Set.of(a, b2), new HashSet<>(iot.listThingPrincipals(b -> b.thingName("princ-1")).principals()));
        assertEquals(List.of("princ-1", "princ-2"), iot.listPrincipalThings(b -> b.principal(a)).things());
        iot.detachThingPrincipal(b -> b.thingName("princ-1").principal(a));
        assertEquals(List.of("princ-2"), iot.listPrincipalThings(b -> b.principal(a)).things());
        assertThrows(ResourceNotFoundException.class, () -> iot.attachThingPrincipal(b -> b.thingName("princ-none")
                .principal(a)));
        assertThrows(ResourceNotFoundException.class, () -> iot.listThingPrincipals(b -> b.thingName("princ-none")));
        assertThrows(InvalidRequestException.class, () -> iot.attachThingPrincipal(b -> b.thingName("princ-1")
                .principal("not-an-arn")));
    }

    // -------------------------------------------------------------------------------- endpoint, templates

    @Test
    void describeEndpointNamesTheMqttListener() {
        assertEquals("localhost:" + cloud.port(), iot.describeEndpoint(b -> b.endpointType("iot:Data-ATS"))
                .endpointAddress());
        assertThrows(InvalidRequestException.class, () -> iot.describeEndpoint(b -> b
                .endpointType("iot:CredentialProvider")));
    }

    @Test
    void provisioningTemplatesAreStoredAsGiven() {
        String body = "{\"Parameters\":{\"SerialNumber\":{\"Type\":\"String\"}},\"Resources\":{\"thing\":"
                + "{\"Type\":\"AWS::IoT::Thing\",\"Properties\":{\"ThingName\":{\"Ref\":\"SerialNumber\"}}}}}";
        String role = "arn:aws:iam::123456789012:role/pettysync-provisioning";
        var created = iot.createProvisioningTemplate(b -> b.templateName("collar-fleet").templateBody(body)
                .provisioningRoleArn(role).enabled(true).description("factory claim"));
        assertEquals("arn:aws:iot:us-east-1:123456789012:provisioningtemplate/collar-fleet", created.templateArn());
        assertEquals(1, created.defaultVersionId());
        var d = iot.describeProvisioningTemplate(b -> b.templateName("collar-fleet"));
        assertEquals(body, d.templateBody());
        assertEquals(role, d.provisioningRoleArn());
        assertTrue(d.enabled());
        assertEquals("FLEET_PROVISIONING", d.typeAsString());
        assertEquals("factory claim", d.description());
        assertThrows(ResourceAlreadyExistsException.class, () -> iot.createProvisioningTemplate(b -> b
                .templateName("collar-fleet").templateBody(body).provisioningRoleArn(role)));
        assertThrows(InvalidRequestException.class, () -> iot.createProvisioningTemplate(b -> b
                .templateName("bad-body").templateBody("{}").provisioningRoleArn(role)));
        assertThrows(ResourceNotFoundException.class, () -> iot.describeProvisioningTemplate(b -> b
                .templateName("nope")));
    }

    // ---------------------------------------------------------------------------------------------- jobs

    @Test
    void jobsTargetThingsAndExpandedGroupsAndReportTheirExecutions() {
        iot.createThing(b -> b.thingName("job-a"));
        iot.createThing(b -> b.thingName("job-b"));
        iot.createThing(b -> b.thingName("job-c"));
        iot.createThingGroup(b -> b.thingGroupName("job-group"));
        iot.createThingGroup(b -> b.thingGroupName("job-group-child").parentGroupName("job-group"));
        iot.addThingToThingGroup(b -> b.thingGroupName("job-group").thingName("job-b"));
        iot.addThingToThingGroup(b -> b.thingGroupName("job-group-child").thingName("job-c"));
        iot.addThingToThingGroup(b -> b.thingGroupName("job-group-child").thingName("job-a"));
        String thingA = cloud.registry().arns().thing("job-a");
        String group = cloud.registry().arns().thingGroup("job-group");
        var created = iot.createJob(b -> b.jobId("fw-2001").targets(thingA, group)
                .document("{\"operation\":\"fw-update\",\"version\":\"2.0.1\"}").description("firmware 2.0.1"));
        assertEquals("arn:aws:iot:us-east-1:123456789012:job/fw-2001", created.jobArn());
        List<JobExecutionSummaryForJob> executions = iot.listJobExecutionsForJob(b -> b.jobId("fw-2001"))
                .executionSummaries();
        assertEquals(Set.of("job-a", "job-b", "job-c"), executions.stream()
                .map(e -> e.thingArn().substring(e.thingArn().lastIndexOf('/') + 1))
                .collect(java.util.stream.Collectors.toSet()), "each thing once, groups expanded");
        executions.forEach(e -> assertEquals(JobExecutionStatus.QUEUED, e.jobExecutionSummary().status()));
        cloud.jobs().handle("job-b", "fw-2001/update", "{\"status\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8));
        DescribeJobResponse d = iot.describeJob(b -> b.jobId("fw-2001"));
        assertEquals("IN_PROGRESS", d.job().statusAsString());
        assertEquals(1, d.job().jobProcessDetails().numberOfSucceededThings());
        assertEquals(2, d.job().jobProcessDetails().numberOfQueuedThings());
        assertEquals(List.of(thingA, group), d.job().targets());
        assertEquals("firmware 2.0.1", d.job().description());
        assertEquals(List.of(cloud.registry().arns().thing("job-b")), iot.listJobExecutionsForJob(b -> b
                .jobId("fw-2001").status(JobExecutionStatus.SUCCEEDED)).executionSummaries().stream()
                .map(JobExecutionSummaryForJob::thingArn).toList());
        var page = iot.listJobExecutionsForJob(b -> b.jobId("fw-2001").maxResults(2));
        assertEquals(2, page.executionSummaries().size());
        assertEquals(1, iot.listJobExecutionsForJob(b -> b.jobId("fw-2001").maxResults(2)
                .nextToken(page.nextToken())).executionSummaries().size());
        cloud.jobs().handle("job-a", "fw-2001/update", "{\"status\":\"FAILED\"}".getBytes(StandardCharsets.UTF_8));
        cloud.jobs().handle("job-c", "fw-2001/update", "{\"status\":\"REJECTED\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("COMPLETED", iot.describeJob(b -> b.jobId("fw-2001")).job().statusAsString());
        assertThrows(ResourceAlreadyExistsException.class, () -> iot.createJob(b -> b.jobId("fw-2001")
                .targets(thingA).document("{}")));
        assertThrows(ResourceNotFoundException.class, () -> iot.createJob(b -> b.jobId("fw-2002")
                .targets(cloud.registry().arns().thing("no-such-thing")).document("{}")));
        assertThrows(InvalidRequestException.class, () -> iot.createJob(b -> b.jobId("fw-2003").targets(thingA)
                .document("not json")));
        assertThrows(ResourceNotFoundException.class, () -> iot.describeJob(b -> b.jobId("no-such-job")));
    }

    @Test
    void createJobTakesRolloutAbortTimeoutAndPresignedConfigsAndCancelJobCancels() {
        iot.createThingGroup(b -> b.thingGroupName("rollout-group"));
        for (int i = 0; i < 5; i++) {
            String thing = "rollout-" + i;
            iot.createThing(b -> b.thingName(thing));
            iot.addThingToThingGroup(b -> b.thingGroupName("rollout-group").thingName(thing));
        }
        String group = cloud.registry().arns().thingGroup("rollout-group");
        iot.createJob(b -> b.jobId("fw-rollout").targets(group).document("{\"operation\":\"firmware-update\"}")
                .jobExecutionsRolloutConfig(r -> r.maximumPerMinute(50).exponentialRate(e -> e.baseRatePerMinute(2)
                        .incrementFactor(2.0).rateIncreaseCriteria(c -> c.numberOfSucceededThings(2))))
                .abortConfig(a -> a.criteriaList(c -> c.failureType(JobExecutionFailureType.FAILED)
                        .action(AbortAction.CANCEL).thresholdPercentage(40.0).minNumberOfExecutedThings(2)))
                .timeoutConfig(t -> t.inProgressTimeoutInMinutes(30L)));
        var job = iot.describeJob(b -> b.jobId("fw-rollout")).job();
        assertEquals(50, job.jobExecutionsRolloutConfig().maximumPerMinute());
        assertEquals(2, job.jobExecutionsRolloutConfig().exponentialRate().baseRatePerMinute());
        assertEquals(2, job.jobExecutionsRolloutConfig().exponentialRate().rateIncreaseCriteria()
                .numberOfSucceededThings());
        assertEquals(40.0, job.abortConfig().criteriaList().get(0).thresholdPercentage());
        assertEquals(30L, job.timeoutConfig().inProgressTimeoutInMinutes());
        assertEquals(2, iot.listJobExecutionsForJob(b -> b.jobId("fw-rollout")).executionSummaries().size(),
                "the base rate released 2 of 5");

        iot.cancelJob(b -> b.jobId("fw-rollout").reasonCode("BAD_BUILD").comment("stop"));
        job = iot.describeJob(b -> b.jobId("fw-rollout")).job();
        assertEquals("CANCELED", job.statusAsString());
        assertEquals("BAD_BUILD", job.reasonCode());
        assertEquals(2, job.jobProcessDetails().numberOfCanceledThings());
        assertThrows(InvalidStateTransitionException.class, () -> iot.cancelJob(b -> b.jobId("fw-rollout")));
        assertThrows(InvalidRequestException.class, () -> iot.createJob(b -> b.jobId("fw-bad-rate").targets(group)
                .document("{}").jobExecutionsRolloutConfig(r -> r.maximumPerMinute(5000))));
        assertThrows(InvalidRequestException.class, () -> iot.createJob(b -> b.jobId("fw-no-presign").targets(group)
                .document("{\"url\":\"${aws:iot:s3-presigned-url:" + cloud.artifactStore().endpoint()
                        + "/pettysync-ota/none}\"}")), "a placeholder without presignedUrlConfig");
        assertThrows(InvalidRequestException.class, () -> iot.createJob(b -> b.jobId("fw-no-object").targets(group)
                .document("{\"url\":\"${aws:iot:s3-presigned-url:" + cloud.artifactStore().endpoint()
                        + "/pettysync-ota/none}\"}").presignedUrlConfig(p -> p.roleArn(
                        "arn:aws:iam::123456789012:role/ota").expiresInSec(600L))), "an object that does not exist");
    }
}
