package net.totalorder.replication.cdi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import net.totalorder.sequencer.ejb.SequencerBean;

/**
 * Ready when this server's sequencer replica has recovered (a restarted server votes only after it holds a
 * majority's state) and its application replica has applied everything the sequencer replica knows to be
 * definitive (a restarted server replays the ordered log before it counts as ready). Thread-safe.
 */
@Readiness
@ApplicationScoped
public class ReplicationReadiness implements HealthCheck {

    @Inject
    SequencerBean sequencer;
    @Inject
    ReplicationService replication;

    @Override
    public HealthCheckResponse call() {
        SequencerBean.Status s = sequencer.status();
        long applied = replication.node().appliedSeq();
        boolean ready = s.role().equals("DISABLED")
                || (s.recovered() && applied >= s.definitiveUpTo() && s.leader() != null);
        return HealthCheckResponse.named("replication").status(ready)
                .withData("role", s.role()).withData("epoch", s.epoch())
                .withData("definitiveUpTo", s.definitiveUpTo()).withData("appliedSeq", applied)
                .withData("leader", String.valueOf(s.leader())).build();
    }
}
