package net.totalorder.replication.core;

/**
 * Where a server keeps its latest snapshot, to restore from and to serve to servers that catch up. In memory for
 * now; a file-backed store follows the same contract and survives a restart.
 *
 * <p>Thread-safe: saved from the background thread, read from the protocol executor.
 */
public interface SnapshotStore {

    /** A stored snapshot: its seq and its bytes. Immutable. */
    interface Stored {
        long seq();

        long size();

        /** Up to {@code max} bytes from {@code offset}. */
        byte[] read(long offset, int max);
    }

    /** Keeps {@code bytes}, the snapshot at {@code seq}, as the latest; older ones may be dropped. */
    void save(long seq, ChunkedBytes bytes);

    /** The latest snapshot, or null when none was saved. */
    Stored latest();

    /** The snapshot before the latest, if one is kept (used when the latest does not read), or null. */
    default Stored previous() {
        return null;
    }
}
