package net.totalorder.derms.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import net.totalorder.replication.api.ReplicaStatus;
import net.totalorder.replication.api.ReplicationMonitor;

/**
 * {@code /derms/api/replica}: this replica's name, the seq it has applied, and the digest of its state at
 * {@code digestSeq} (read together, between two applied invocations, so two replicas with the same {@code digestSeq}
 * must show the same digest; {@link AppliedDigest} says how often it is computed), plus
 * what the plugin's {@link ReplicationMonitor} reports: its sequencer replica's role and epoch, the leader it sees,
 * whether it is ready (and why not), where it keeps its log, why it stopped (if it did), its compacted log and its
 * snapshots.
 */
@Path("/replica")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class ReplicaEndpoint {

    @Inject
    AppliedDigest digest;
    @Inject
    ReplicationMonitor replication;

    /** The response body. */
    public record ReplicaState(String node, long appliedSeq, long digestSeq, String digest, String role, long epoch,
                               boolean ready,
                               String waiting, String storage, String leader, String failure, long definitiveUpTo,
                               long logBase, long logLast,
                               long snapshotSeq, long snapshotsTaken, long snapshotsInstalled,
                               long droppedMessages) {
    }

    @GET
    public ReplicaState state() throws Exception {
        AppliedDigest.At applied = digest.current();
        ReplicaStatus s = replication.status();
        return new ReplicaState(s.node(), s.appliedSeq(), applied.seq(), applied.digest(), s.role(), s.epoch(), s.ready(), s.waiting(),
                s.storage(), s.leader(), s.failure(), s.definitiveUpTo(), s.logBase(), s.logLast(), s.snapshotSeq(), s.snapshotsTaken(),
                s.snapshotsInstalled(), s.droppedMessages());
    }
}
