package com.pettysync.agent.ota;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher script ({@code src/deb/pettysync-launcher}) with a fake {@code java}: a shell script that
 * logs the slot it was started with and then does what {@code slots/<slot>/behaviour} says — {@code crash} (exit 1),
 * {@code hang} (sleep until killed), {@code commit} (write the boot file as the agent's commit does, then exit 0),
 * or nothing (exit 0). The harness plays systemd: it starts the launcher again after each exit.
 */
final class Launcher {
    static final Path SCRIPT = Path.of("src/deb/pettysync-launcher").toAbsolutePath();
    final Path data;
    final Path log;
    final Path fakeJava;

    Launcher(Path data) throws IOException {
        this.data = data;
        this.log = data.resolve("starts.log");
        this.fakeJava = data.resolve("fake-java");
        Files.writeString(fakeJava, """
                #!/bin/sh
                slot=none
                for a in "$@"; do case "$a" in -Dpettysync.slot=*) slot=${a#-Dpettysync.slot=} ;; esac; done
                echo "$slot" >> "$PETTYSYNC_DATA/starts.log"
                b=$(cat "$PETTYSYNC_DATA/slots/$slot/behaviour" 2>/dev/null || true)
                case "$b" in
                  crash) exit 1 ;;
                  hang) echo "$$" >> "$PETTYSYNC_DATA/hangs.log"; exec sleep 600 ;;
                  commit) printf 'committed=%s\\ntrial=\\nattempts=0\\nlast=committed %s\\n' "$slot" "$slot" \\
                            > "$PETTYSYNC_DATA/slots/boot.tmp" && mv "$PETTYSYNC_DATA/slots/boot.tmp" "$PETTYSYNC_DATA/slots/boot" ;;
                esac
                exit 0
                """);
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** One start (as systemd would): runs the launcher; a hanging agent is killed with SIGKILL (the watchdog). */
    String start() throws Exception {
        long before = Files.exists(log) ? Files.readAllLines(log).size() : 0;
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString(), "agent", "--config", "x.json")
                .redirectErrorStream(true).redirectOutput(data.resolve("launcher.out").toFile());
        pb.environment().put("PETTYSYNC_DATA", data.toString());
        pb.environment().put("PETTYSYNC_JAVA", fakeJava.toString());
        pb.environment().put("PETTYSYNC_FACTORY_LIB", data.resolve("factory").toString());
        Path hangs = data.resolve("hangs.log");
        long hangsBefore = Files.exists(hangs) ? Files.readAllLines(hangs).size() : 0;
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            boolean hung = Files.exists(hangs) && Files.readAllLines(hangs).size() > hangsBefore;
            if (hung || System.nanoTime() > deadline) {
                // hung: systemd's watchdog kills it with SIGKILL (the launcher exec'd the agent: same process)
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                break;
            }
        }
        List<String> lines = Files.readAllLines(log);
        if (lines.size() != before + 1) {
            throw new AssertionError("the launcher started no agent: " + Files.readString(data.resolve("launcher.out")));
        }
        return lines.get(lines.size() - 1);
    }

    void behaviour(String slot, String what) throws IOException {
        Files.writeString(data.resolve("slots").resolve(slot).resolve("behaviour"), what);
    }
}
