package net.totalorder.sequencer.core;

/**
 * What a sequencer replica and its log report as they work, for metrics. Each method is called on the thread doing
 * the work (the replica's protocol thread; the log's caller for {@link #logSynced}), must return quickly and must not
 * throw; the default does nothing.
 */
public interface SequencerObserver {

    SequencerObserver NONE = new SequencerObserver() {
    };

    /** A WriteMaj round of {@code assignments} became definitive {@code millis} after it was sent (the primary). */
    default void roundDefinitive(long assignments, long millis) {
    }

    /** This replica became primary in {@code epoch}: a leader change. */
    default void becamePrimary(long epoch) {
    }

    /** The log wrote what it held and, with fsync on, forced it to disk, in {@code nanos}. */
    default void logSynced(long nanos) {
    }
}
