package com.pettysync.simulator.cloud.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps an HTTP method and path to an operation, AWS IoT's REST bindings (the {@code requestUri} and
 * {@code httpMethod} of the SDK's generated marshallers, e.g. {@code POST /things/{thingName}} → CreateThing).
 * Literal segments win over parameters ({@code PUT /thing-groups/addThingToThingGroup}).
 */
final class Router {
    /** What an operation does with a request: the reply body (null for {@code {}}). */
    interface Handler {
        JsonNode handle(ApiRequest request);
    }

    record Route(String operation, String method, String[] segments, Handler handler) {
        int literals() {
            int n = 0;
            for (String s : segments) {
                if (!s.startsWith("{")) {
                    n++;
                }
            }
            return n;
        }
    }

    record Match(Route route, Map<String, String> pathParameters) {}

    private final List<Route> routes = new ArrayList<>();

    void add(String operation, String method, String template, Handler handler) {
        routes.add(new Route(operation, method, split(template), handler));
    }

    /** The route for {@code method} and the raw (still percent-encoded) {@code rawPath}, with decoded parameters. */
    Optional<Match> match(String method, String rawPath) {
        String[] segments = split(rawPath);
        Match best = null;
        for (Route r : routes) {
            if (!r.method().equals(method) || r.segments().length != segments.length) {
                continue;
            }
            Map<String, String> params = new LinkedHashMap<>();
            boolean ok = true;
            for (int i = 0; i < segments.length && ok; i++) {
                String t = r.segments()[i];
                if (t.startsWith("{")) {
                    params.put(t.substring(1, t.length() - 1), decode(segments[i]));
                } else {
                    ok = t.equals(segments[i]);
                }
            }
            if (ok && (best == null || r.literals() > best.route().literals())) {
                best = new Match(r, params);
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether some route has this path with another method (405 rather than 404). */
    boolean knowsPath(String rawPath) {
        String[] segments = split(rawPath);
        for (Route r : routes) {
            if (r.segments().length == segments.length) {
                boolean ok = true;
                for (int i = 0; i < segments.length && ok; i++) {
                    ok = r.segments()[i].startsWith("{") || r.segments()[i].equals(segments[i]);
                }
                if (ok) {
                    return true;
                }
            }
        }
        return false;
    }

    static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
