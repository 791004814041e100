package com.pettysync.simulator.cloud.control;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two pieces of request text that every SigV4 check of the local cloud reads the same way (the control plane's
 * {@link SignatureVerifier} and the artifact store's S3 signature check): the signature in an {@code Authorization}
 * header, and a raw query string decoded into its parameters. Never throws on malformed input.
 */
public final class SigV4Text {
    private SigV4Text() {
    }

    /** The hex signature of an {@code Authorization: AWS4-HMAC-SHA256 …, Signature=…} value; "" when there is none. */
    public static String signatureOf(String authorization) {
        int at = authorization.indexOf("Signature=");
        return at < 0 ? "" : authorization.substring(at + "Signature=".length()).trim();
    }

    /** The decoded parameters of a raw query string, each name with its values in order; empty for null or "". */
    public static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }
}
