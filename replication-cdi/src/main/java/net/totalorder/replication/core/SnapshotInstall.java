package net.totalorder.replication.core;

import java.io.OutputStream;

import net.totalorder.sequencer.core.SequencerMessage.SnapshotChunk;

/**
 * One snapshot being pulled from {@code source}, chunk after chunk (the next is asked for only once the previous
 * arrived: the receiver's pace is the flow control). Accepts only the chunk at the expected offset of the snapshot
 * it started on; if the source moved on to a newer snapshot, starts over with that one.
 *
 * <p>Not thread-safe: the node's protocol executor.
 */
final class SnapshotInstall {

    final String source;
    final long minSeq;
    /** When the install began (the node's clock). */
    final long startedAt;
    private long snapshotSeq;
    private long total;
    private ChunkedBytes bytes = new ChunkedBytes();
    private OutputStream out = bytes.output();
    private long offset;
    private long lastProgressAt;
    private boolean decoding;

    SnapshotInstall(String source, long minSeq, long now) {
        this.source = source;
        this.minSeq = minSeq;
        this.startedAt = now;
        this.lastProgressAt = now;
    }

    /** Takes {@code chunk} if it is the next one; false when it is stale or of another snapshot mid-way. */
    boolean accept(SnapshotChunk chunk, long now) throws java.io.IOException {
        if (decoding || chunk.snapshotSeq() < minSeq) {
            return false;
        }
        if (chunk.snapshotSeq() != snapshotSeq) {
            if (chunk.offset() != 0) {
                return false;
            }
            snapshotSeq = chunk.snapshotSeq();   // the first chunk, or the source moved on: start over
            total = chunk.totalBytes();
            bytes = new ChunkedBytes();
            out = bytes.output();
            offset = 0;
        }
        if (chunk.offset() != offset || chunk.totalBytes() != total) {
            return false;
        }
        out.write(chunk.data());
        offset += chunk.data().length;
        lastProgressAt = now;
        return true;
    }

    boolean complete() {
        return snapshotSeq > 0 && offset == total;
    }

    /** The whole snapshot, once complete; nothing more is accepted. */
    ChunkedBytes take() {
        decoding = true;
        return bytes.seal();
    }

    boolean decoding() {
        return decoding;
    }

    long snapshotSeq() {
        return snapshotSeq;
    }

    long offset() {
        return offset;
    }

    long lastProgressAt() {
        return lastProgressAt;
    }
}
