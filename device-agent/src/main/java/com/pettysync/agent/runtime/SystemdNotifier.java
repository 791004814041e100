package com.pettysync.agent.runtime;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Tells systemd that the agent is ready and alive ({@code Type=notify}, {@code WatchdogSec=}) through the
 * {@code systemd-notify} tool (the JDK cannot send datagrams on the Unix socket in {@code NOTIFY_SOCKET}; the unit
 * sets {@code NotifyAccess=all} for that reason). Does nothing when not started by systemd. The agent pings from
 * its window thread, so a stuck window loop stops the pings and systemd restarts the service.
 */
final class SystemdNotifier {
    private final boolean active = System.getenv("NOTIFY_SOCKET") != null;

    void ready() {
        send("--ready");
    }

    void watchdog() {
        send("WATCHDOG=1");
    }

    void stopping() {
        send("STOPPING=1");
    }

    private void send(String what) {
        if (!active) {
            return;
        }
        try {
            Process p = new ProcessBuilder("systemd-notify", what).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            Logger.warn("systemd-notify {} failed: {}", what, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
