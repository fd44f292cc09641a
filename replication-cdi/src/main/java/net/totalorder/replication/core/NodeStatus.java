package net.totalorder.replication.core;

import java.util.List;

/**
 * What one server's node reports about itself and the members it hears from, read at one moment on the protocol
 * executor. {@code ready}: recovered, not installing a snapshot, applied (nearly) all it knows to be definitive, a
 * leader known and a primary heard of lately; else {@code waiting} says why not. {@code storage}: "memory", or
 * "disk-new", "disk-lost" or "disk-restored" (what it found on disk at start). {@code failure}: why the replica stopped (fail-stop), or null.
 * {@code droppedMessages}: messages refused since start (from a non-member, malformed, or a Seq that does not match
 * what was applied). {@code leaderChanges}: the last primaries seen taking over, newest first (at most
 * {@value ReplicationNode#LEADER_CHANGES_KEPT}). Immutable.
 */
public record NodeStatus(String node, String role, long epoch, String leader, boolean recovered,
                         boolean installingSnapshot, boolean ready, String waiting, String storage, String failure,
                         long appliedSeq,
                         long definitiveUpTo, long knownUpTo, long logBase, long logLast, long snapshotSeq,
                         long snapshotsTaken, long snapshotsInstalled, long droppedMessages, List<Member> members,
                         List<LeaderChange> leaderChanges) {

    /**
     * Another member as this server sees it: in its group view, heard from within the suspect timeout, and what its
     * last beacon said ({@code role} null when never heard from).
     */
    public record Member(String name, boolean inView, boolean live, String role, long epoch, boolean eligible,
                         long appliedSeq, long definitiveUpTo, long heardMillisAgo) {
    }

    /** A primary this server saw take over: {@code primary} in {@code epoch}, {@code millisAgo} before the status. */
    public record LeaderChange(String primary, long epoch, long millisAgo) {
    }

    public NodeStatus {
        members = List.copyOf(members);
        leaderChanges = List.copyOf(leaderChanges);
    }
}
