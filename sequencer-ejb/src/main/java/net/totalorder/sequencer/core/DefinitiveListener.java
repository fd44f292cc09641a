package net.totalorder.sequencer.core;

/**
 * Told, on the replica's executor, what the local replica learns to be definitive, in seq order with no gaps:
 * each assignment it holds once ({@link #onDefinitive}), or, for a run of seqs it never held or no longer holds
 * because they were compacted elsewhere and it took the compacted base instead (only once a snapshot stored here
 * covers it: {@link #onSnapshotNeeded}), that the run up to a seq is definitive ({@link #onSkipped}). Must not block.
 */
public interface DefinitiveListener {

    DefinitiveListener NONE = new DefinitiveListener() {
        @Override
        public void onDefinitive(TentativeAssignment assignment) {
        }

        @Override
        public void onSkipped(long upToSeq) {
        }
    };

    void onDefinitive(TentativeAssignment assignment);

    /** Seqs after the last one reported, up to {@code upToSeq}, are definitive but not held here. */
    void onSkipped(long upToSeq);

    /**
     * This replica must take a compacted base at {@code seq} (member {@code from} compacted past what it holds), but
     * drops nothing of its log before a snapshot stored here covers that seq: install one (from {@code from}, which
     * holds one), then {@link SequencerReplica#compact} with its seq. Called again while it is missing.
     */
    default void onSnapshotNeeded(long seq, String from) {
    }
}
