package net.totalorder.replication.core;

import net.totalorder.sequencer.core.SequencerObserver;

/**
 * What a {@link ReplicationNode} reports as it works, for metrics, beside its sequencer replica's rounds, leader
 * changes and log syncs. Each method is called on the thread doing the work (named below), must return quickly and
 * must not throw; the default does nothing.
 */
public interface NodeObserver extends SequencerObserver {

    NodeObserver NONE = new NodeObserver() {
    };

    /** A replicated call was made on this server (the caller's thread). */
    default void callMade() {
    }

    /** A call got no reply within the call timeout; it may still be applied (the caller's thread). */
    default void callTimedOut() {
    }

    /** This replica executed a call (the apply thread). */
    default void callApplied() {
    }

    /** A call was answered from the reply cache without being executed again: a retry (any thread). */
    default void answeredFromReplyCache() {
    }

    /** A snapshot of {@code bytes} was captured, encoded and stored in {@code millis} (a background thread). */
    default void snapshotTaken(long bytes, long millis) {
    }

    /** A snapshot of {@code bytes} from another member was installed {@code millis} after the install began. */
    default void snapshotInstalled(long bytes, long millis) {
    }
}
