package net.totalorder.replication.core;

/**
 * A {@link SnapshotStore} that keeps only the latest snapshot, in memory (lost with the process). A snapshot being
 * served while a newer one is saved stays readable by whoever holds it. Thread-safe.
 */
public final class InMemorySnapshotStore implements SnapshotStore {

    private record Held(long seq, ChunkedBytes bytes) implements Stored {
        @Override
        public long size() {
            return bytes.size();
        }

        @Override
        public byte[] read(long offset, int max) {
            return bytes.read(offset, max);
        }
    }

    private volatile Held latest;

    @Override
    public void save(long seq, ChunkedBytes bytes) {
        Held current = latest;
        if (current == null || seq > current.seq()) {
            latest = new Held(seq, bytes);
        }
    }

    @Override
    public Stored latest() {
        return latest;
    }
}
