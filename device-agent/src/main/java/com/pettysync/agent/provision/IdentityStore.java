package com.pettysync.agent.provision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pettysync.agent.config.ClaimConfig;
import com.pettysync.contract.json.JsonTrees;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Turns a claim configuration into a permanent one on disk: writes the new certificate and private key, then
 * replaces the configuration file with one that names the thing and points at them.
 *
 * <p><b>Guarantee.</b> At every instant — a crash or a power cut at any point of {@link #commit} — the configuration
 * file is either the claim configuration, unchanged, or the permanent one, complete, whose certificate and key files
 * are complete on disk. Never neither, never a permanent configuration pointing at a file that is missing or
 * half-written. The rename of the configuration file is the commit point; everything it refers to is durable before
 * it happens.
 *
 * <p><b>Steps</b> (each a {@link Disk} call; the test crashes between every two):
 * <pre>
 *  1 createDirectory  &lt;identityDirectory&gt;                (0700; its parent fsynced)
 *  2 write            &lt;identityDirectory&gt;/private.key.tmp   0600 from the first byte, PKCS#8 PEM, fsynced
 *  3 move             → private.key
 *  4 write            &lt;identityDirectory&gt;/certificate.pem.tmp 0644, the PEM AWS returned, fsynced
 *  5 move             → certificate.pem
 *  6 syncDirectory    &lt;identityDirectory&gt;                (both renames durable)
 *  7 write            &lt;config&gt;.tmp                         the permanent configuration, the old file's mode, fsynced
 *  8 move             → &lt;config&gt;                            ← commit point (atomic rename)
 *  9 syncDirectory    the configuration's directory        (the commit durable)
 * </pre>
 *
 * <p><b>Failure model.</b> A crash before step 8 leaves the claim configuration; the files written so far are
 * referenced by nothing and are replaced by the next attempt (fixed names, so nothing piles up), and the collar
 * provisions again at its next start — AWS then holds one more certificate for the thing, the one from the lost
 * attempt (it is active, but its private key died with the process). A crash after step 8 but before 9 may, after
 * a power cut, bring back the claim configuration (same as before 8) or keep the permanent one; both load. An
 * {@link IOException} (full disk, read-only file system) leaves the same states and is reported to the caller,
 * which retries. The new configuration is the old file's JSON with {@code identity} replaced, in place, by
 * {@code thingName}, {@code certificate} and {@code privateKey} (absolute paths); everything else is kept as it was.
 * Caveat: the configuration's directory must be writable by the agent (the claim's {@code agent.json} cannot live
 * on a read-only {@code /etc}).
 */
public final class IdentityStore {
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> CERT_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> CONFIG_MODE = PosixFilePermissions.fromString("rw-r-----");

    /** The file system calls the commit is made of; {@link #real()} in the agent, a crashing one in tests. */
    public interface Disk {
        /** Creates {@code dir} (and missing parents) with {@code mode} if missing, and fsyncs its parent. */
        void createDirectory(Path dir, Set<PosixFilePermission> mode) throws IOException;

        /** Writes {@code bytes} to a new {@code file} (one left over is deleted first) with {@code mode} from its
         * first byte, and forces it to the device. */
        void write(Path file, byte[] bytes, Set<PosixFilePermission> mode) throws IOException;

        /** Renames {@code from} over {@code to} atomically. */
        void move(Path from, Path to) throws IOException;

        /** Forces {@code dir}'s entries (the renames in it) to the device. */
        void syncDirectory(Path dir) throws IOException;

        /** The local file system. */
        static Disk real() {
            return new LocalDisk();
        }
    }

    private final Disk disk;

    public IdentityStore(Disk disk) {
        this.disk = disk;
    }

    /**
     * Writes the permanent identity and replaces {@code configFile} (the claim configuration) with the permanent
     * configuration, in the order and with the guarantee in the class comment.
     */
    public PermanentIdentity commit(Path configFile, ClaimConfig claim, String thingName, String certificatePem,
            PrivateKey key, Map<String, String> deviceConfiguration) throws IOException {
        Path cert = claim.permanentCertificate().toAbsolutePath();
        Path keyFile = claim.permanentPrivateKey().toAbsolutePath();
        byte[] newConfig = permanentConfig(Files.readAllBytes(configFile), thingName, cert, keyFile);
        Path dir = cert.getParent();
        disk.createDirectory(dir, OWNER_ONLY_DIR);
        Path keyTmp = tmp(keyFile);
        disk.write(keyTmp, pem("PRIVATE KEY", key.getEncoded()), KEY_MODE);
        disk.move(keyTmp, keyFile);
        Path certTmp = tmp(cert);
        disk.write(certTmp, (certificatePem.endsWith("\n") ? certificatePem : certificatePem + "\n")
                .getBytes(StandardCharsets.US_ASCII), CERT_MODE);
        disk.move(certTmp, cert);
        disk.syncDirectory(dir);
        Path configTmp = tmp(configFile);
        disk.write(configTmp, newConfig, modeOf(configFile));
        disk.move(configTmp, configFile);
        disk.syncDirectory(configFile.toAbsolutePath().getParent());
        return new PermanentIdentity(thingName, cert, keyFile, deviceConfiguration);
    }

    /** The claim configuration {@code json} with {@code identity} replaced, in place, by the permanent identity. */
    static byte[] permanentConfig(byte[] json, String thingName, Path certificate, Path privateKey)
            throws IOException {
        JsonNode old = JsonTrees.read(json);
        if (!(old instanceof ObjectNode o) || !o.has("identity")) {
            throw new IOException("the configuration file no longer holds identity.claim; not replacing it");
        }
        ObjectNode out = JsonTrees.object();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("identity")) {
                out.put("thingName", thingName);
                out.put("certificate", certificate.toString());
                out.put("privateKey", privateKey.toString());
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        return JsonTrees.prettyBytes(out);
    }

    private static Path tmp(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static Set<PosixFilePermission> modeOf(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (IOException | UnsupportedOperationException e) {
            return CONFIG_MODE;
        }
    }

    static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static final class LocalDisk implements Disk {
        private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

        @Override
        public void createDirectory(Path dir, Set<PosixFilePermission> mode) throws IOException {
            if (Files.isDirectory(dir)) {
                return;
            }
            Files.createDirectories(dir, attributes(mode));
            syncDirectory(dir.toAbsolutePath().getParent());
        }

        @Override
        public void write(Path file, byte[] bytes, Set<PosixFilePermission> mode) throws IOException {
            Files.deleteIfExists(file);
            try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), attributes(mode))) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            }
        }

        private static FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
            return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
        }
    }
}
