package com.pettysync.provisioning.factory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pettysync.provisioning.ca.CertificateSigningRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollarCsvTest {
    @TempDir
    Path dir;

    Path csv(String text) throws Exception {
        Path f = dir.resolve("line.csv");
        Files.writeString(f, text);
        return f;
    }

    void csr(String file, String cn) throws Exception {
        Files.writeString(dir.resolve(file), CertificateSigningRequest.create(CollarKeys.newKeyPair(), cn).pem());
    }

    @Test
    void readsRowsWithCsrsGeneratedKeysGroupsAndAttributeColumns() throws Exception {
        csr("0001.csr", "collar-0001");
        var rows = CollarCsv.read(csv("serial,csr,group,hardwareRevision,batch\n"
                + "0001,0001.csr,line-a,C2,B42\n0002,generate,,C2,\n"), Optional.of("fleet"), AttributeRules.AWS);
        assertEquals(2, rows.size());
        assertEquals("collar-0001", rows.get(0).order().thing().value());
        assertTrue(rows.get(0).csrKeys().isPresent());
        assertEquals(Optional.of("line-a"), rows.get(0).order().group());
        assertEquals(Map.of("hardwareRevision", "C2", "batch", "B42"), rows.get(0).order().attributes());
        assertTrue(rows.get(1).order().keys() instanceof KeySource.Generated);
        assertEquals(Optional.of("fleet"), rows.get(1).order().group());
        assertEquals(Map.of("hardwareRevision", "C2"), rows.get(1).order().attributes());
    }

    @Test
    void reportsEveryBadRowWithItsLineBeforeAnythingIsSent() throws Exception {
        csr("wrong.csr", "collar-9999");
        Files.writeString(dir.resolve("broken.csr"), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                + "-----END CERTIFICATE REQUEST-----\n");
        var e = assertThrows(CollarCsv.InvalidCsvException.class, () -> CollarCsv.read(csv(
                "serial,csr,batch\n0001,wrong.csr,B1\nbad serial!,generate,B1\n0003,broken.csr,B1\n"
                        + "0004,generate,B 1\n0005,generate,B1\n0005,generate,B1\n0006,missing.csr,B1\n"),
                Optional.empty(), AttributeRules.AWS));
        String all = String.join("\n", e.problems());
        assertEquals(6, e.problems().size(), all);
        assertTrue(all.contains("line 2:") && all.contains("subject CN is \"collar-9999\""), all);
        assertTrue(all.contains("line 3:") && all.contains("serial"), all);
        assertTrue(all.contains("line 4:"), all);
        assertTrue(all.contains("line 5:") && all.contains("attributes.batch"), all);
        assertTrue(all.contains("line 7:") && all.contains("appears twice"), all);
        assertTrue(all.contains("line 8:") && all.contains("cannot read"), all);
    }

    @Test
    void aHeaderWithoutSerialAndCsrIsRefused() throws Exception {
        var e = assertThrows(CollarCsv.InvalidCsvException.class, () -> CollarCsv.read(csv("id,key\n1,2\n"),
                Optional.empty(), AttributeRules.AWS));
        assertTrue(e.getMessage().contains("\"serial\" and \"csr\""), e.getMessage());
    }
}
