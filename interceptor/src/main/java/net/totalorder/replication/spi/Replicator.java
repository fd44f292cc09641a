package net.totalorder.replication.spi;

import java.lang.reflect.Method;
import java.util.concurrent.Callable;

/**
 * The replication engine as the interceptor sees it; implemented by the engine module as a CDI bean.
 * Thread-safe: called concurrently by every caller of a replicated method.
 */
public interface Replicator {

    /**
     * Orders the call of {@code method} with {@code args}, waits until the local replica has applied it, and
     * returns its reply or throws the exception the method threw. {@code local} runs the method on the local
     * replica directly, for reads configured to be served locally.
     */
    Object invoke(Method method, Object[] args, Callable<Object> local) throws Exception;
}
