package com.pettysync.agent.config;

/** One thing wrong with an agent configuration: the JSON path of the field ({@code outbox.maxInFlight}) and why. */
public record ConfigProblem(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
