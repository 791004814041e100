package com.pettysync.provisioning.factory;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts the HTTP attempts (first tries and the SDK's retries) made by the current thread since its last
 * {@link #reset}: a synchronous SDK client transmits on the calling thread, so each batch worker sees its own
 * collar's calls.
 */
public final class ApiCallCounter implements ExecutionInterceptor {
    private final ThreadLocal<int[]> count = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        count.get()[0]++;
    }

    public void reset() {
        count.get()[0] = 0;
    }

    public int count() {
        return count.get()[0];
    }
}
