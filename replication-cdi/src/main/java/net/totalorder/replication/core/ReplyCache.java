package net.totalorder.replication.core;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * What exactly-once needs to remember (as Apache Ratis' RetryCache): the reply of every request applied in the
 * last {@code replyRetention} seqs, by request id, so that a retry — on this or any replica, which hold the same
 * replies — gets the first reply without executing again; and, for the last {@code requestIdRetention} seqs, the
 * seq each request id was applied at ({@link RequestIdIndex}), so that a retry whose reply was evicted gets
 * {@link Reply.Outcome#EXPIRED} instead of a second execution. Read-only invocations are never retried by id and
 * are not kept.
 *
 * <p>Retention is counted in seqs, not time, so every replica evicts the same entries at the same point, and the
 * cache is part of every snapshot. Both bounds must outlast the clients' retry window (see
 * {@code replication.reply-retention} and {@code replication.request-id-retention}); a retry later than the
 * request-id retention cannot be told from a new call.
 *
 * <p>Kept flat, so that the garbage collector has next to nothing to trace and copy however many calls are
 * retained: the replies as {@link ReplyRecords} in chunks of {@value ReplyRecords#CHUNK} bytes, appended in seq
 * order and dropped a whole chunk at a time once every reply in it is evicted; where the reply of each retained seq
 * starts ({@code heldAt}, 8 bytes per seq of reply retention); and the request ids as 64-bit hashes
 * ({@link RequestIdIndex}), through which a reply is found — and then checked to be that request id's.
 *
 * <p>Invariant: the held replies are exactly those recorded at a seq above {@code latest - replyRetention}, in seq
 * order from the first chunk's first such record to the last chunk's end; {@code heldAt[s % replyRetention]} is
 * where the reply of seq {@code s} starts, as (chunk number &lt;&lt; 32 | offset), if it is held.
 *
 * <p>Written by the apply thread only; {@link #get} from any thread: every method holds this object's lock (the
 * apply thread takes it once per reply, uncontended but for a caller's retry check).
 */
public final class ReplyCache {

    private final int replyRetention;
    private final RequestIdIndex ids;
    private final long[] heldAt;
    /** Chunk number {@code firstChunk + i}; the last one is being filled. */
    private final ArrayList<Chunk> chunks = new ArrayList<>();
    private long firstChunk = 1;
    /** A chunk of {@value ReplyRecords#CHUNK} bytes dropped and kept for reuse, or null. */
    private byte[] spare;
    /**
     * The exception instances this replica caught, by seq, while their reply is held: a retry on this server
     * rethrows the caller's own instance (elsewhere, and after a snapshot, it is decoded). Calls that throw are few.
     */
    private final java.util.TreeMap<Long, Throwable> thrownHere = new java.util.TreeMap<>();
    /** The last seq recorded (whether its reply is kept or not), or 0. */
    private long latest;

    /** Records appended in seq order, whole; {@code lastSeq} is the seq of the last one. */
    private static final class Chunk {
        final byte[] bytes;
        int used;
        int records;
        long lastSeq;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    public ReplyCache(int replyRetention, int requestIdRetention) {
        if (replyRetention < 1) {
            throw new IllegalArgumentException("reply retention must be at least 1, was " + replyRetention);
        }
        if (requestIdRetention < replyRetention) {
            throw new IllegalArgumentException("request-id retention (" + requestIdRetention
                    + ") must be at least the reply retention (" + replyRetention + ")");
        }
        this.replyRetention = replyRetention;
        this.ids = new RequestIdIndex(requestIdRetention);
        this.heldAt = new long[replyRetention];
    }

    /** The kept reply of {@code requestId}, or null when none is kept here. Any thread. */
    public synchronized Reply get(String requestId) {
        return kept(requestId, ids.seqOf(requestId));
    }

    /**
     * What to answer a request applied before: its kept reply, {@link Reply#expired} when only its seq is still
     * known, or null when it is unknown (never applied, or beyond the request-id retention). Apply thread.
     */
    synchronized Reply lookup(String requestId) {
        long seq = ids.seqOf(requestId);
        Reply kept = kept(requestId, seq);
        if (kept != null) {
            return kept;
        }
        return seq > 0 ? Reply.expired(seq, requestId) : null;
    }

    /** The reply held for {@code requestId} at {@code seq} (where the request-id index puts it), or null. */
    private Reply kept(String requestId, long seq) {
        if (seq <= 0 || seq <= latest - replyRetention) {
            return null;
        }
        long at = heldAt[(int) (seq % replyRetention)];
        long chunk = at >>> 32;
        if (chunk < firstChunk) {
            return null;                          // never held (0), or its chunk is dropped
        }
        byte[] bytes = chunks.get((int) (chunk - firstChunk)).bytes;
        int offset = (int) at;
        // the slot may hold a later seq's reply, or an earlier one's when seq had none (a read); two ids sharing
        // a hash in the index are told apart by the id itself
        if (ReplyRecords.seq(bytes, offset) != seq
                || !ReplyRecords.isFor(bytes, offset, ReplyRecords.utf8(requestId))) {
            return null;
        }
        Reply kept = ReplyRecords.decode(bytes, offset, requestId);
        Throwable thrown = kept.outcome() == Reply.Outcome.THREW ? thrownHere.get(seq) : null;
        return thrown == null ? kept : Reply.threw(seq, requestId, kept.identity(), kept.value(), thrown, false);
    }

    /** Records the reply of the invocation just applied (unless read-only), then evicts. Apply thread. */
    synchronized void record(Reply reply) {
        if (reply.seq() <= latest) {
            throw new IllegalStateException("reply of seq " + reply.seq() + " recorded after seq " + latest);
        }
        latest = reply.seq();
        if (!reply.readOnly()) {
            byte[] id = ReplyRecords.utf8(reply.requestId());
            byte[] identity = ReplyRecords.utf8(reply.identity());
            byte[] value = ReplyRecords.utf8(reply.value());
            Chunk tail = placeAtEnd(reply.seq(), ReplyRecords.length(id, identity, value));
            tail.used = ReplyRecords.encode(tail.bytes, tail.used, reply.seq(), id, identity, reply.outcome(), value);
            ids.put(reply.seq(), reply.requestId());
            if (reply.exception() != null) {
                thrownHere.put(reply.seq(), reply.exception());
            }
        }
        evict();
    }

    /**
     * Makes room for the record of {@code seq}, {@code length} bytes, at the end of the last chunk, which the
     * caller then writes there (from {@code used}, which it moves past the record).
     */
    private Chunk placeAtEnd(long seq, int length) {
        Chunk tail = room(length);
        heldAt[(int) (seq % replyRetention)] = (firstChunk + chunks.size() - 1) << 32 | tail.used;
        tail.records++;
        tail.lastSeq = seq;
        return tail;
    }

    /** The last chunk, or a new one, with room for {@code length} more bytes. */
    private Chunk room(int length) {
        if (!chunks.isEmpty()) {
            Chunk tail = chunks.get(chunks.size() - 1);
            if (tail.bytes.length - tail.used >= length) {
                return tail;
            }
        }
        byte[] bytes;
        if (length <= ReplyRecords.CHUNK && spare != null) {
            bytes = spare;
            spare = null;
        } else {
            bytes = new byte[Math.max(ReplyRecords.CHUNK, length)];
        }
        Chunk fresh = new Chunk(bytes);
        chunks.add(fresh);
        return fresh;
    }

    /** Drops the chunks (but the last) whose replies are all evicted. */
    private void evict() {
        if (!thrownHere.isEmpty()) {
            thrownHere.headMap(latest - replyRetention, true).clear();
        }
        while (chunks.size() > 1 && chunks.get(0).lastSeq <= latest - replyRetention) {
            byte[] dropped = chunks.remove(0).bytes;
            firstChunk++;
            if (dropped.length == ReplyRecords.CHUNK) {
                spare = dropped;
            }
        }
    }

    /** Where the first held record of the first chunk starts (its end if it holds none). */
    private int firstHeld() {
        Chunk first = chunks.get(0);
        int at = 0;
        while (at < first.used && ReplyRecords.seq(first.bytes, at) <= latest - replyRetention) {
            at += ReplyRecords.length(first.bytes, at);
        }
        return at;
    }

    /** What a snapshot keeps: a copy of the retained replies, in seq order, and the request-id window. */
    synchronized Contents contents() {
        ReplyRecords.Builder copy = new ReplyRecords.Builder();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            int from = i == 0 ? firstHeld() : 0;
            copy.addRecords(c.bytes, from, c.used - from, i == 0 ? countFrom(c, from) : c.records, c.lastSeq);
        }
        return new Contents(copy.build(), ids.window());
    }

    private static int countFrom(Chunk c, int from) {
        int n = 0;
        for (int at = from; at < c.used; at += ReplyRecords.length(c.bytes, at)) {
            n++;
        }
        return n;
    }

    /**
     * Replaces everything with {@code contents} (a snapshot's, possibly another replica's; its replies are in seq
     * order). Apply thread.
     */
    synchronized void restore(Contents contents) {
        chunks.clear();
        firstChunk = 1;
        thrownHere.clear();
        Arrays.fill(heldAt, 0);
        ids.restore(contents.ids());
        ReplyRecords replies = contents.replies();
        latest = Math.max(ids.latest(), replies.lastSeq());
        replies.forEach((from, at, length) -> {
            long seq = ReplyRecords.seq(from, at);
            if (seq > latest - replyRetention) {
                Chunk tail = placeAtEnd(seq, length);
                System.arraycopy(from, at, tail.bytes, tail.used, length);
                tail.used += length;
            }
        });
    }

    /** How many replies are held. */
    synchronized int size() {
        if (chunks.isEmpty()) {
            return 0;
        }
        int n = countFrom(chunks.get(0), firstHeld());
        for (int i = 1; i < chunks.size(); i++) {
            n += chunks.get(i).records;
        }
        return n;
    }

    /** Bytes of the arrays holding the replies (the request-id index and {@code heldAt} are fixed besides). */
    synchronized long heldBytes() {
        long n = 0;
        for (Chunk c : chunks) {
            n += c.bytes.length;
        }
        return n;
    }

    /** The replies and request ids a snapshot carries. */
    record Contents(ReplyRecords replies, RequestIdIndex.Window ids) {
    }
}
