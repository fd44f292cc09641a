package net.totalorder.replication.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import net.totalorder.replication.api.ReplicaStatus;

/**
 * Ready when this server's replica runs, has recovered (a restarted server votes only once it holds a log every
 * majority agrees with), has no snapshot left to install, has applied (nearly) everything it knows to be definitive,
 * knows a leader and has heard of a primary lately. When not, {@code waiting} says why (for instance: a majority lost
 * its state). Thread-safe.
 */
@Readiness
@ApplicationScoped
public class ReplicationReadiness implements HealthCheck {

    @Inject
    ReplicationService replication;

    @Override
    public HealthCheckResponse call() {
        ReplicaStatus s = replication.status();
        var response = HealthCheckResponse.named("replication").status(s.ready())
                .withData("role", s.role()).withData("epoch", s.epoch())
                .withData("definitiveUpTo", s.definitiveUpTo()).withData("appliedSeq", s.appliedSeq())
                .withData("snapshotSeq", s.snapshotSeq()).withData("leader", String.valueOf(s.leader()));
        if (s.waiting() != null) {
            response.withData("waiting", s.waiting());
        }
        response.withData("storage", String.valueOf(s.storage()));
        if (s.failure() != null) {
            response.withData("failure", s.failure());
        }
        return response.build();
    }
}
