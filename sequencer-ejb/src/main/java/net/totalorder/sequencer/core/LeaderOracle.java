package net.totalorder.sequencer.core;

/**
 * The paper's leader election service, {@code Leader?()} (§3). It may be wrong for a while — two replicas may
 * both believe they lead — and the protocol stays safe anyway; it is needed only for progress. The host tells the
 * replica when the answer may have changed ({@link SequencerReplica#onLeadershipChange()}); the replica also
 * polls it on every tick.
 */
public interface LeaderOracle {

    /** Whether this replica currently believes it is the leader. */
    boolean isLeader();

    /** The member this replica believes leads, or null when it does not know. Used only as a hint to clients. */
    String leader();

    /**
     * The member this server hears acting as primary now (itself included), or null: a replica refuses its
     * pre-vote to any other candidate, so a primary the others still hear is not deposed.
     */
    String livePrimary();
}
