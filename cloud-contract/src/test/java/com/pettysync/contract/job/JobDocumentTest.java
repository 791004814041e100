package com.pettysync.contract.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobDocumentTest {
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String SIG = "MEUCIQDkYQ1DeXkxZp3vWl0K0bDgq6kX2M4S3aZGm7i1yP2tqQIgSt9mWm0lI4o2pY8r3XQ0FzqV1xL6kU9tN2bJ7cR5aHk=";

    static String doc(String overrides) {
        String base = "\"operation\":\"firmware-update\",\"version\":1043,\"url\":\"https://updates.example.com/fw/1043.bin\","
                + "\"size\":1048576,\"sha256\":\"" + SHA + "\",\"signature\":\"" + SIG + "\"";
        return "{" + base + (overrides.isEmpty() ? "" : "," + overrides) + "}";
    }

    @Test
    void readsAValidDocument() throws Exception {
        JobDocument d = JobDocument.parse(doc("\"minBatteryPct\":30"));
        assertEquals(JobOperation.FIRMWARE_UPDATE, d.operation());
        assertEquals(1043, d.version());
        assertEquals("https://updates.example.com/fw/1043.bin", d.url().toString());
        assertEquals(1048576, d.size());
        assertEquals(SHA, d.sha256());
        assertEquals(32, d.sha256Bytes().length);
        assertEquals(OptionalInt.of(30), d.minBatteryPct());
        assertEquals(JobDocument.parse(d.toJson()), d);
        JobDocument upper = JobDocument.parse(doc("").replace(SHA, SHA.toUpperCase()));
        assertEquals(SHA, upper.sha256());
        assertEquals(OptionalInt.empty(), upper.minBatteryPct());
        assertEquals(JobOperation.MODEL_UPDATE,
                JobDocument.parse(doc("").replace("firmware-update", "model-update")).operation());
    }

    @ParameterizedTest(name = "{1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "operation:firmware-update→factory-reset|operation|unknown operation 'factory-reset' (expected firmware-update or model-update)",
        "operation:\"firmware-update\"→1|operation|must be a string",
        "DROP:operation|operation|missing",
        "DROP:version|version|missing",
        "version:\"version\":1043→\"version\":-1|version|must be an unsigned integer",
        "version:\"version\":1043→\"version\":10.5|version|must be an unsigned integer",
        "version:\"version\":1043→\"version\":\"1043\"|version|must be an unsigned integer",
        "url:https://updates→http://updates|url|must use https",
        "url:https://updates.example.com/fw/1043.bin→ftp:x|url|must use https",
        "url:https://updates.example.com/fw/1043.bin→https:///path|url|must name a host",
        "url:https://updates.example.com/fw/1043.bin→https://u:p@h/x|url|must not carry user info",
        "url:https://updates.example.com/fw/1043.bin→https://a b|url|not a valid URL",
        "size:1048576→0|size|must be at least 1 byte",
        "size:1048576→-5|size|must be an unsigned integer",
        "sha256:9f86→zz86|sha256|must be 64 hex digits",
        "sha256:0a08→0a0|sha256|must be 64 hex digits",
        "DROP:signature|signature|missing: the artifact is unsigned",
        "signature:MEUC→!!!|signature|not valid base64",
        "signature:MEUCIQDkYQ1DeXkxZp3vWl0K0bDgq6kX2M4S3aZGm7i1yP2tqQIgSt9mWm0lI4o2pY8r3XQ0FzqV1xL6kU9tN2bJ7cR5aHk=→AAAA|signature|not a DER ECDSA P-256 signature",
        "ADD:\"minBatteryPct\":101|minBatteryPct|must be 0 … 100",
        "ADD:\"minBatteryPct\":null|minBatteryPct|must be an unsigned integer",
        "ADD:\"minBateryPct\":30|minBateryPct|unknown field"})
    void namesTheOffendingField(String edit, String field, String reason) {
        JobDocumentException e = assertThrows(JobDocumentException.class, () -> JobDocument.parse(apply(edit)));
        assertEquals(field, e.field());
        assertEquals(reason, e.reason());
        assertEquals(field + ": " + reason, e.getMessage());
    }

    static String apply(String edit) {
        String d = doc("");
        if (edit.startsWith("ADD:")) {
            return doc(edit.substring(4));
        }
        if (edit.startsWith("DROP:")) {
            String f = edit.substring(5);
            return d.replaceAll("\"" + f + "\":(\"[^\"]*\"|[0-9]+),?", "").replace(",}", "}");
        }
        String[] fv = edit.split(":", 2);
        String[] ft = fv[1].split("→", 2);
        return d.replace(ft[0], ft[1]);
    }

    @Test
    void rejectsWholeDocumentProblems() {
        for (String bad : new String[] {"", "null", "[]", "{", doc("") + "x", "\"s\"", null}) {
            JobDocumentException e = assertThrows(JobDocumentException.class, () -> JobDocument.parse(bad));
            assertEquals("document", e.field());
        }
        JobDocumentException dup = assertThrows(JobDocumentException.class,
                () -> JobDocument.parse(doc("\"version\":1044")));
        assertEquals("document", dup.field());
        assertThrows(JobDocumentException.class, () -> JobDocument.parse("{\"x\":\"" + "a".repeat(40_000) + "\"}"));
    }

    @Property(tries = 3000)
    void neverThrowsAnythingElse(@ForAll("junk") String text) {
        try {
            JobDocument.parse(text);
        } catch (JobDocumentException expected) {
            // the contract's own error
        }
    }

    @Provide
    Arbitrary<String> junk() {
        Arbitrary<String> mutated = Arbitraries.integers().between(0, doc("").length() - 1).tuple2()
                .map(t -> {
                    String d = doc("");
                    int a = Math.min(t.get1(), t.get2());
                    int b = Math.max(t.get1(), t.get2());
                    return d.substring(0, a) + d.substring(b);
                });
        return Arbitraries.oneOf(mutated, Arbitraries.strings().ofMaxLength(300));
    }
}
