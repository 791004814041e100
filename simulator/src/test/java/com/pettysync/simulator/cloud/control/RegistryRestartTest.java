package com.pettysync.simulator.cloud.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pettysync.simulator.cloud.LocalIotCore;
import com.pettysync.simulator.cloud.registry.Certificates;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

/** The registry and the control plane's key survive a restart of the local IoT Core (a new process, same directory). */
class RegistryRestartTest {
    @TempDir
    Path dir;

    @Test
    void registryAndCredentialsSurviveARestart() throws Exception {
        String certificateId;
        ControlPlaneCredentials key;
        try (LocalIotCore first = LocalIotCore.builder().directory(dir).build().start();
                IotClient iot = IotClients.of(first)) {
            key = first.controlPlaneCredentials();
            iot.createThingType(b -> b.thingTypeName("restart-type"));
            iot.createThing(b -> b.thingName("restart-1").thingTypeName("restart-type")
                    .attributePayload(p -> p.attributes(Map.of("batch", "B1"))));
            iot.createPolicy(b -> b.policyName("restart-policy").policyDocument(first.policy().json()));
            iot.createPolicyVersion(b -> b.policyName("restart-policy").policyDocument(first.policy().json())
                    .setAsDefault(true));
            certificateId = Certificates.idOf(first.issueCollar("restart-1").certificate());
            String id = certificateId;
            iot.updateCertificate(b -> b.certificateId(id).newStatus(CertificateStatus.INACTIVE));
        }
        try (LocalIotCore second = LocalIotCore.builder().directory(dir).build().start();
                IotClient iot = IotClients.of(second)) {
            assertEquals(key, second.controlPlaneCredentials(), "the same key after a restart");
            var thing = iot.describeThing(b -> b.thingName("restart-1"));
            assertEquals("restart-type", thing.thingTypeName());
            assertEquals(Map.of("batch", "B1"), thing.attributes());
            assertEquals("2", iot.getPolicy(b -> b.policyName("restart-policy")).defaultVersionId());
            String id = certificateId;
            assertEquals(CertificateStatus.INACTIVE, iot.describeCertificate(b -> b.certificateId(id))
                    .certificateDescription().status());
            assertEquals(List.of("restart-1"), iot.listPrincipalThings(b -> b.principal(second.registry().arns()
                    .certificate(id))).things());
        }
    }
}
