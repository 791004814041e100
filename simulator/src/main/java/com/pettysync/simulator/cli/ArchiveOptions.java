package com.pettysync.simulator.cli;

import com.pettysync.cli.BadInputException;
import com.pettysync.simulator.cloud.archive.ArchiveStore;
import com.pettysync.simulator.cloud.archive.ArchiveTarget;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** Options the cloud's data commands share: the state directory and how to reach an S3 archive. */
final class ArchiveOptions {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = CloudCommand.DEFAULT_DIR,
            description = "the local cloud's state directory (frames.db, registry.db); default: ${DEFAULT-VALUE}")
    Path dir;

    @Option(names = "--s3-endpoint", paramLabel = "URL", description = "an S3-compatible server instead of AWS, "
            + "e.g. http://127.0.0.1:9000 (path-style addressing); credentials from the AWS SDK's default chain "
            + "(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profile, role)")
    String s3Endpoint;

    @Option(names = "--region", paramLabel = "REGION", defaultValue = "us-east-1",
            description = "the S3 bucket's region (default ${DEFAULT-VALUE})")
    String region;

    Path frames() {
        return dir.resolve("frames.db");
    }

    /** The default archive of the local cloud: DIR/archive. */
    String defaultArchive() {
        return dir.resolve("archive").toString();
    }

    ArchiveStore open(String target) throws IOException {
        URI endpoint = null;
        if (s3Endpoint != null) {
            try {
                endpoint = new URI(s3Endpoint);
            } catch (URISyntaxException e) {
                throw new BadInputException("--s3-endpoint is not a URL: " + s3Endpoint);
            }
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new BadInputException("--s3-endpoint needs scheme and host, e.g. http://127.0.0.1:9000");
            }
        }
        try {
            return ArchiveTarget.open(target, region, endpoint);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    static LocalDate day(String option, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new BadInputException(option + " must be a date YYYY-MM-DD, got \"" + value + "\"");
        }
    }
}
