package com.pettysync.provisioning.factory;

/** Where the factory tool reports each step it took (a human line per step on the console; nothing in a batch). */
@FunctionalInterface
public interface StepLog {
    void step(String subject, String what);

    StepLog SILENT = (subject, what) -> { };
}
