package net.totalorder.replication.interceptor;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import net.totalorder.replication.api.Replicated;
import net.totalorder.replication.api.ReplicationContext;
import net.totalorder.replication.spi.Replicator;

/**
 * Hands every call of a {@link Replicated} method to the {@link Replicator}, except calls made while this thread
 * applies an ordered invocation: those are part of that invocation and go straight to the bean.
 *
 * <p>Runs after platform interceptors, so that, on the calling server, interceptors such as transactions wrap the
 * application of the invocation rather than the wait for it. Stateless and thread-safe.
 */
@Replicated
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 100)
public class ReplicatedInterceptor {

    private final Replicator replicator;

    @Inject
    public ReplicatedInterceptor(Replicator replicator) {
        this.replicator = replicator;
    }

    @AroundInvoke
    public Object replicate(InvocationContext invocation) throws Exception {
        if (ReplicationContext.isApplying()) {
            return invocation.proceed();
        }
        return replicator.invoke(invocation.getMethod(), invocation.getParameters(), invocation::proceed);
    }
}
