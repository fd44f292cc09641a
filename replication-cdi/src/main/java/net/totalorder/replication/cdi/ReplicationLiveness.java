package net.totalorder.replication.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import net.totalorder.replication.api.ReplicaStatus;

/**
 * DOWN once this server's replica stopped (fail-stop: a broken invariant, an {@link Error} while applying), with the
 * reason: the replica serves nothing more, and only a restart (which rejoins and catches up) brings it back.
 * Thread-safe.
 */
@Liveness
@ApplicationScoped
public class ReplicationLiveness implements HealthCheck {

    @Inject
    ReplicationService replication;

    @Override
    public HealthCheckResponse call() {
        ReplicaStatus s = replication.status();
        var response = HealthCheckResponse.named("replica").status(s.failure() == null);
        if (s.failure() != null) {
            response.withData("stopped", s.failure());
        }
        return response.build();
    }
}
