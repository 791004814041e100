package com.pettysync.simulator.cloud.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS IoT's {@code ${aws:iot:s3-presigned-url:URL}} placeholder in job documents
 * (https://docs.aws.amazon.com/iot/latest/developerguide/create-manage-jobs.html#create-manage-jobs-presigned-URLs):
 * checked when a job is created (a {@code presignedUrlConfig} is needed, and the object must be one the
 * {@link ArtifactUrls} can presign), replaced by a fresh presigned URL in every string of a document handed to a
 * device.
 */
final class PresignedPlaceholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{aws:iot:s3-presigned-url:([^}]*)}");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ArtifactUrls urls;

    PresignedPlaceholders(ArtifactUrls urls) {
        this.urls = urls;
    }

    /**
     * Whether {@code documentJson} has placeholders, each checked.
     *
     * @throws IllegalArgumentException for a placeholder without {@code expiry} or naming an object that cannot be
     *     presigned
     */
    boolean check(String documentJson, Optional<Duration> expiry) {
        Matcher m = PLACEHOLDER.matcher(documentJson);
        boolean any = false;
        while (m.find()) {
            any = true;
            if (expiry.isEmpty()) {
                throw new IllegalArgumentException("the document has a presigned-URL placeholder but the job has no "
                        + "presignedUrlConfig");
            }
            try {
                urls.check(URI.create(m.group(1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("presigned-URL placeholder: " + e.getMessage(), e);
            }
        }
        return any;
    }

    /** {@code document} with every placeholder replaced by a presigned URL valid {@code expiry} from now. */
    JsonNode substitute(JsonNode document, Duration expiry) {
        if (document.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(document.textValue());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(urls.presign(URI.create(m.group(1)), expiry)));
            }
            m.appendTail(sb);
            return NODES.textNode(sb.toString());
        }
        if (document.isObject()) {
            ObjectNode o = NODES.objectNode();
            document.properties().forEach(f -> o.set(f.getKey(), substitute(f.getValue(), expiry)));
            return o;
        }
        if (document.isArray()) {
            ArrayNode a = NODES.arrayNode();
            document.forEach(v -> a.add(substitute(v, expiry)));
            return a;
        }
        return document.deepCopy();
    }
}
