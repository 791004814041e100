package com.pettysync.simulator.cloud.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The one access key the local control plane accepts (AWS Signature V4). Created at random on first use and kept,
 * mode 0600, in {@value #FILE} of the local IoT Core's directory, in the AWS CLI's credentials-file keys
 * ({@code aws_access_key_id}, {@code aws_secret_access_key}). It guards a local stand-in on loopback, not an AWS
 * account: printing it (as {@code pettysync cloud} does) is fine; logging it is still not done. {@link #toString()}
 * never shows the secret.
 *
 * @param accessKeyId     20 characters, {@code AKIA} + 16 of {@code [A-Z2-7]} (the shape of an AWS access key id)
 * @param secretAccessKey 40 characters of {@code [A-Za-z0-9+/]}
 */
public record ControlPlaneCredentials(String accessKeyId, String secretAccessKey) {
    /** The credentials file's name in the local IoT Core's directory. */
    public static final String FILE = "control-plane.credentials";
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public ControlPlaneCredentials {
        if (accessKeyId == null || !KEY_ID.matcher(accessKeyId).matches()) {
            throw new IllegalArgumentException("access key id must be 16-128 characters of [A-Z0-9]");
        }
        if (secretAccessKey == null || secretAccessKey.length() < 16) {
            throw new IllegalArgumentException("secret access key must be at least 16 characters");
        }
    }

    /** New random credentials. */
    public static ControlPlaneCredentials random() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder("AKIA");
        for (int i = 0; i < 16; i++) {
            id.append(BASE32.charAt(random.nextInt(BASE32.length())));
        }
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            secret.append(SECRET_CHARS.charAt(random.nextInt(SECRET_CHARS.length())));
        }
        return new ControlPlaneCredentials(id.toString(), secret.toString());
    }

    /** The credentials in {@code file}, or new random ones written there (mode 0600, atomically) when it is missing. */
    public static ControlPlaneCredentials loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            try {
                return new ControlPlaneCredentials(p.getProperty("aws_access_key_id"),
                        p.getProperty("aws_secret_access_key"));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
        ControlPlaneCredentials created = random();
        created.writeTo(file);
        return created;
    }

    /** Writes these credentials to {@code file} with mode 0600 from the first byte, replacing it atomically. */
    public void writeTo(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (Files.getFileStore(target.getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, "# local AWS IoT control plane (pettysync cloud) - not an AWS account\n"
                + "aws_access_key_id=" + accessKeyId + "\naws_secret_access_key=" + secretAccessKey + "\n",
                StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "ControlPlaneCredentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<hidden>]";
    }
}
