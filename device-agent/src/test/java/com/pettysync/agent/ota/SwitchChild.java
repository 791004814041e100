package com.pettysync.agent.ota;

import java.nio.file.Path;

/**
 * A process that installs a firmware artifact into slot B and switches to it, printing each step and stopping
 * (blocked, to be SIGKILLed by {@link SwitchPowerCutTest}) at the step named in its arguments.
 * Arguments: slots directory, artifact, step to stop at.
 */
public final class SwitchChild {
    private SwitchChild() {}

    public static void main(String[] args) throws Exception {
        Path slots = Path.of(args[0]);
        String stopAt = args[2];
        DirectorySlots.stepHook = step -> {
            System.out.println("STEP " + step);
            System.out.flush();
            if (step.equals(stopAt)) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        DirectorySlots s = new DirectorySlots(slots, "a");
        s.install(Path.of(args[1]));
        s.switchToTrial();
        System.out.println("DONE");
    }
}
