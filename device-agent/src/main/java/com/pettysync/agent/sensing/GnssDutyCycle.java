package com.pettysync.agent.sensing;

/**
 * A sensor source whose GNSS receiver follows lost mode: a fix every second ({@code live}) while the dog is lost,
 * the normal duty cycle (a fix every 10 s) otherwise ({@code shared/hardware.md}). The switch is made on the GNSS
 * sensor's own poll, so the receiver's UART is only ever used by one thread; a receiver that is not there takes
 * the command when it comes back.
 */
public interface GnssDutyCycle {

    /** Lost mode on: live fixes; off: the normal duty cycle. Safe from any thread. */
    void lostMode(boolean on);
}
