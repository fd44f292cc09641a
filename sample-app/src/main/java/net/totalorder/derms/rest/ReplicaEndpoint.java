package net.totalorder.derms.rest;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import net.totalorder.derms.service.Derms;
import net.totalorder.replication.cdi.ReplicationService;
import net.totalorder.sequencer.ejb.SequencerBean;

/**
 * {@code /derms/api/replica}: this replica's name, the seq it has applied and the digest of its state at that
 * seq (read together, between two applied invocations, so two replicas at the same seq must show the same
 * digest), plus its sequencer replica's role, epoch and view of the leader.
 */
@Path("/replica")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaEndpoint {

    @Inject
    Derms derms;
    @Inject
    ReplicationService replication;
    @Inject
    SequencerBean sequencer;

    /** The response body. */
    public record ReplicaState(String node, long appliedSeq, String digest, String role, long epoch,
                               boolean recovered, String leader, List<String> reachable) {
    }

    @GET
    public ReplicaState state() throws Exception {
        Object[] seqAndDigest = replication.readLocally(
                () -> new Object[] {replication.node().appliedSeq(), derms.digest()});
        SequencerBean.Status s = sequencer.status();
        return new ReplicaState(replication.node().name(), (Long) seqAndDigest[0], (String) seqAndDigest[1],
                s.role(), s.epoch(), s.recovered(), s.leader(), s.reachable());
    }
}
