package com.pettysync.agent.ota;

/** What a trial build must show before it is committed: read by the update engine while a trial runs. */
@FunctionalInterface
public interface HealthProbe {

    /**
     * The agent's health since this start.
     *
     * @param connected the uplink holds a connection now
     * @param acknowledged the broker acknowledged at least one publish (PUBACK) since this start
     * @param sensorsRead at least one window's sensor collection completed since this start
     * @param crashes supervised crashes (window/sensor loop restarts) since this start
     */
    record Health(boolean connected, boolean acknowledged, boolean sensorsRead, long crashes) {
        /** Whether the trial may be committed. */
        public boolean passes() {
            return connected && acknowledged && sensorsRead && crashes == 0;
        }

        /** What is still missing, for the failure reason. */
        public String missing() {
            StringBuilder b = new StringBuilder();
            if (!connected) {
                b.append("not connected; ");
            }
            if (!acknowledged) {
                b.append("no PUBACK; ");
            }
            if (!sensorsRead) {
                b.append("no sensor window; ");
            }
            if (crashes > 0) {
                b.append(crashes).append(" crash(es); ");
            }
            return b.isEmpty() ? "" : b.substring(0, b.length() - 2);
        }
    }

    Health now();
}
