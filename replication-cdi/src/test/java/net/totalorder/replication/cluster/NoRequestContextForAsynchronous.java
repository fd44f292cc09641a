package net.totalorder.replication.cluster;

import jakarta.enterprise.context.control.RequestContextController;

import io.smallrye.faulttolerance.internal.RequestContextControllerProvider;

/**
 * SmallRye Fault Tolerance finds the request context it activates for {@code @Asynchronous} methods through
 * {@code CDI.current()}, which is ambiguous with several Weld containers in one JVM (it may answer with another
 * test's stopped container). The harness has no {@code @Asynchronous} method, so its controller refuses to be used
 * rather than pick a container. Loaded by {@link java.util.ServiceLoader}; stateless.
 */
public final class NoRequestContextForAsynchronous implements RequestContextControllerProvider {

    @Override
    public RequestContextController get() {
        return new RequestContextController() {
            @Override
            public boolean activate() {
                throw new UnsupportedOperationException("@Asynchronous is not supported by the in-JVM harness");
            }

            @Override
            public void deactivate() {
                throw new UnsupportedOperationException("@Asynchronous is not supported by the in-JVM harness");
            }
        };
    }
}
