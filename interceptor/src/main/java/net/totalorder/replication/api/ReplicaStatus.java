package net.totalorder.replication.api;

import java.util.List;

/**
 * What this server's replica reports about itself and the other members, as read at one moment: its sequencer
 * replica's {@code role} and {@code epoch}, who it believes leads, whether it is {@code ready} (recovered, caught up,
 * a leader known), why it stopped ({@code failure}, null while it runs), how far it applied, how far it knows the log
 * to be definitive, its compacted log range, and its snapshots. {@code waiting}: why it is not ready (null when it
 * is), e.g. a member that lost its state and waits for members that kept theirs. {@code storage}: {@code memory}, or
 * {@code disk-new}, {@code disk-lost} or {@code disk-restored}: what it found on disk when it started.
 * {@code droppedMessages}: messages its node refused since it started (from a non-member, malformed — e.g. an epoch
 * beyond any reachable one — or a Seq naming a seq that did not apply that request), each logged.
 * {@code leaderChanges}: the last primaries it saw take over, newest first. Immutable.
 */
public record ReplicaStatus(String node, String role, long epoch, String leader, boolean ready, String waiting,
                            String storage, String failure,
                            long appliedSeq, long definitiveUpTo, long logBase, long logLast, long snapshotSeq,
                            long snapshotsTaken, long snapshotsInstalled, boolean installingSnapshot,
                            long droppedMessages, List<Member> members, List<LeaderChange> leaderChanges) {

    /** Another member as this server hears it; {@code role} null when never heard from. */
    public record Member(String name, boolean inView, boolean live, String role, long epoch, boolean eligible,
                         long appliedSeq, long definitiveUpTo, long heardMillisAgo) {
    }

    /** A primary this server saw take over: {@code primary} in {@code epoch}, {@code millisAgo} before this status. */
    public record LeaderChange(String primary, long epoch, long millisAgo) {
    }

    public ReplicaStatus {
        members = List.copyOf(members);
        leaderChanges = List.copyOf(leaderChanges);
    }
}
