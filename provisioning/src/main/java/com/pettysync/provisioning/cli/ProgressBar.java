package com.pettysync.provisioning.cli;

import java.io.PrintWriter;

/** A one-line progress bar with rate and ETA, redrawn on a terminal at most five times a second. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int failed;

    ProgressBar(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    synchronized void update(com.pettysync.provisioning.factory.BatchRun.CollarResult r, int ended, int total) {
        if (r.status() == com.pettysync.provisioning.factory.BatchRun.Status.FAILED) {
            failed++;
        }
        long now = System.nanoTime();
        if (!enabled || (now - lastDraw < 200_000_000L && ended < total)) {
            return;
        }
        lastDraw = now;
        double s = (now - start) / 1e9;
        double rate = ended / Math.max(s, 1e-3);
        long eta = rate > 0 ? Math.round((total - ended) / rate) : -1;
        int filled = (int) ((long) WIDTH * ended / total);
        err.printf("\r[%s%s] %d/%d %.1f/s ETA %s%s", "#".repeat(filled), " ".repeat(WIDTH - filled), ended, total,
                rate, eta < 0 ? "?" : eta / 60 + "m" + String.format("%02d", eta % 60) + "s",
                failed > 0 ? " failed " + failed : "");
        err.flush();
    }

    void finish() {
        if (enabled) {
            err.println();
        }
    }
}
