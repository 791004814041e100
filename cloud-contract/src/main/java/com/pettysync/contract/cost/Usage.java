package com.pettysync.contract.cost;

/**
 * Metered AWS IoT Core usage of a fleet in one month: the quantities {@link CostModel} prices. Counts are billing
 * units, already rounded up to AWS's increments (a 6 KB publish is 2 messages, a 1.5 KB shadow update 2
 * operations).
 *
 * @param connectionMinutes total minutes connected, all collars
 * @param messages metered messages (5 KB units), Basic Ingest publishes excluded
 * @param shadowOperations Device Shadow operations (1 KB units)
 * @param rulesTriggered rule executions
 * @param ruleActions rule actions applied
 * @param jobRemoteActions job executions (one job on one collar)
 */
public record Usage(long connectionMinutes, long messages, long shadowOperations, long rulesTriggered,
        long ruleActions, long jobRemoteActions) {
    public Usage {
        if (connectionMinutes < 0 || messages < 0 || shadowOperations < 0 || rulesTriggered < 0 || ruleActions < 0
                || jobRemoteActions < 0) {
            throw new IllegalArgumentException("usage counts must be ≥ 0");
        }
    }

    /**
     * This usage, counted over {@code observed} (for example a simulation run), extrapolated to a
     * {@value CostModel#DAYS_PER_MONTH}-day month; each count rounded to the nearest unit.
     *
     * @throws IllegalArgumentException if {@code observed} is not positive
     */
    public Usage scaledToMonth(java.time.Duration observed) {
        if (observed == null || observed.isZero() || observed.isNegative()) {
            throw new IllegalArgumentException("the observed duration must be positive");
        }
        double f = CostModel.DAYS_PER_MONTH * 86_400_000.0 / observed.toMillis();
        return new Usage(Math.round(connectionMinutes * f), Math.round(messages * f), Math.round(shadowOperations * f),
                Math.round(rulesTriggered * f), Math.round(ruleActions * f), Math.round(jobRemoteActions * f));
    }
}
