package com.pettysync.agent.ota;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The firmware artifact: a ZIP of one slot's content, signed as a whole (contract §7 signs its SHA-256).
 *
 * <pre>
 * slot.properties     build=&lt;uint: the build, must equal the job document's version&gt;
 *                     securityVersion=&lt;uint, optional, default 0: once committed, no build below it installs&gt;
 * lib/&lt;name&gt;.jar     the agent's class path (every jar of the .deb's /usr/share/pettysync/lib)
 * lib/…               other files the class path needs (natives inside jars stay inside jars)
 * </pre>
 *
 * Nothing else is accepted: an entry outside {@code lib/} (or {@code slot.properties}), a path with {@code ..},
 * an absolute path, a directory nesting deeper than {@code lib/a/b}, more than 512 entries or more than 512 MiB
 * unpacked are refused, so a signed-but-wrong artifact cannot write outside its slot. Because the build number is
 * inside the signed bytes, a job document cannot relabel an old artifact as a new version.
 */
public final class FirmwareArtifact {
    /** The manifest's name in the artifact and in a slot. */
    public static final String MANIFEST = "slot.properties";
    static final int MAX_ENTRIES = 512;
    static final long MAX_UNPACKED = 512L * 1024 * 1024;
    private static final Pattern ENTRY = Pattern.compile("lib/([A-Za-z0-9._+-]+/){0,2}[A-Za-z0-9._+-]+");

    private FirmwareArtifact() {}

    /**
     * What a slot declares about its build.
     *
     * @param build the build number
     * @param securityVersion the lowest build allowed once this one is committed
     */
    public record Manifest(long build, long securityVersion) {
        public Manifest {
            if (build < 0 || securityVersion < 0) {
                throw new IllegalArgumentException("build and securityVersion are unsigned");
            }
        }

        /** The {@value #MANIFEST} text. */
        public String text() {
            return "build=" + build + "\nsecurityVersion=" + securityVersion + "\n";
        }

        /** Reads a {@value #MANIFEST} text. */
        public static Manifest parse(String text) throws InstallException {
            Properties p = new Properties();
            try {
                p.load(new StringReader(text));
                long build = Long.parseLong(p.getProperty("build", "").trim());
                long sv = Long.parseLong(p.getProperty("securityVersion", "0").trim());
                return new Manifest(build, sv);
            } catch (IOException | IllegalArgumentException e) {
                throw new InstallException(MANIFEST + ": needs build=<uint> (and optional securityVersion=<uint>)");
            }
        }
    }

    /** Writes an artifact (for the build server, tests and the simulator). */
    public static void write(Path zip, Manifest manifest, Map<String, byte[]> libFiles) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(MANIFEST));
            z.write(manifest.text().getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            for (Map.Entry<String, byte[]> e : libFiles.entrySet()) {
                z.putNextEntry(new ZipEntry("lib/" + e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
    }

    /** Reads the manifest of an artifact without unpacking it. */
    public static Manifest manifest(Path zip) throws InstallException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry m = z.getEntry(MANIFEST);
            if (m == null) {
                throw new InstallException("artifact has no " + MANIFEST);
            }
            try (InputStream in = z.getInputStream(m)) {
                return Manifest.parse(new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            }
        } catch (ZipException e) {
            throw new InstallException("artifact is not a valid ZIP: " + e.getMessage());
        } catch (IOException e) {
            throw new InstallException("cannot read the artifact: " + e.getMessage(), e);
        }
    }

    /**
     * Unpacks the artifact into {@code dir} (which must not exist yet), every file fsynced.
     *
     * @return its manifest
     */
    public static Manifest unpack(Path zip, Path dir) throws InstallException {
        Manifest manifest = manifest(zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Files.createDirectories(dir.resolve("lib"));
            long total = 0;
            int count = 0;
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (++count > MAX_ENTRIES) {
                    throw new InstallException("artifact has more than " + MAX_ENTRIES + " entries");
                }
                String name = e.getName();
                if (e.isDirectory()) {
                    continue;
                }
                if (!name.equals(MANIFEST) && (!ENTRY.matcher(name).matches() || name.contains(".."))) {
                    throw new InstallException("artifact entry '" + (name.length() > 80 ? name.substring(0, 80)
                            : name) + "' is outside lib/");
                }
                Path target = dir.resolve(name).normalize();
                if (!target.startsWith(dir)) {
                    throw new InstallException("artifact entry escapes the slot");
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = z.getInputStream(e);
                        FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (total > MAX_UNPACKED) {
                            throw new InstallException("artifact unpacks to more than " + MAX_UNPACKED + " bytes");
                        }
                        ch.write(java.nio.ByteBuffer.wrap(buf, 0, n));
                    }
                    ch.force(true);
                }
            }
            Durable.syncDirectory(dir.resolve("lib"));
            Durable.syncDirectory(dir);
            return manifest;
        } catch (ZipException e) {
            throw new InstallException("artifact is not a valid ZIP: " + e.getMessage());
        } catch (IOException e) {
            throw new InstallException("cannot unpack the artifact: " + e.getMessage(), e);
        }
    }
}
