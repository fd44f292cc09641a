package net.totalorder.sequencer.core;

import java.util.HashSet;
import java.util.List;

/**
 * Configuration of one sequencer replica. Majorities are counted over {@code members} — the configured member
 * set — never over who is currently reachable, so a minority partition can neither read nor write a majority.
 *
 * @param members              the configured sequencer replicas, in a fixed order shared by all members
 * @param self                 this replica's name, one of {@code members}
 * @param tickMillis           period of the replica's timer (timeouts are checked on ticks)
 * @param readTimeoutMillis    a ReadMaj without a majority of promises by then has failed
 * @param writeTimeoutMillis   a WriteMaj not acknowledged by a majority by then has failed (the primary steps down)
 * @param retransmitMillis     a backup that has not acknowledged sent entries by then is sent them again
 * @param heartbeatMillis      an idle primary tells backups how far its log is definitive at least this often
 * @param maxEntriesPerMessage at most this many assignments in one WriteMaj, ReadMaj reply or fetch reply
 * @param maxInFlightRounds    pipelining depth: WriteMaj rounds sent and not yet definitive; requests arriving
 *                             meanwhile are batched into the next round
 * @param maxBytesPerMessage   assignments in one message stop once their payloads and ids reach this many bytes
 *                             (one assignment always fits, whatever its size)
 * @param maxFollowerLag       the primary compacts its log no further than a live backup has acknowledged, unless
 *                             that backup is more than this many seqs behind: then it installs a snapshot instead
 */
public record SequencerConfig(List<String> members, String self, long tickMillis, long readTimeoutMillis,
                              long writeTimeoutMillis, long retransmitMillis, long heartbeatMillis,
                              int maxEntriesPerMessage, int maxInFlightRounds, long maxBytesPerMessage,
                              long maxFollowerLag) {

    public static final long DEFAULT_MAX_BYTES_PER_MESSAGE = 1 << 20;
    public static final long DEFAULT_MAX_FOLLOWER_LAG = 100_000;

    public SequencerConfig {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("members must name at least one replica");
        }
        members = List.copyOf(members);
        if (new HashSet<>(members).size() != members.size()) {
            throw new IllegalArgumentException("members contains a duplicate name: " + members);
        }
        for (String m : members) {
            if (m.isBlank()) {
                throw new IllegalArgumentException("members contains a blank name: " + members);
            }
        }
        if (self == null || !members.contains(self)) {
            throw new IllegalArgumentException("self '" + self + "' is not one of the members " + members);
        }
        positive("tickMillis", tickMillis);
        positive("readTimeoutMillis", readTimeoutMillis);
        positive("writeTimeoutMillis", writeTimeoutMillis);
        positive("retransmitMillis", retransmitMillis);
        positive("heartbeatMillis", heartbeatMillis);
        positive("maxEntriesPerMessage", maxEntriesPerMessage);
        positive("maxInFlightRounds", maxInFlightRounds);
        positive("maxBytesPerMessage", maxBytesPerMessage);
        positive("maxFollowerLag", maxFollowerLag);
    }

    /** With the default message size and follower lag bounds. */
    public SequencerConfig(List<String> members, String self, long tickMillis, long readTimeoutMillis,
                           long writeTimeoutMillis, long retransmitMillis, long heartbeatMillis,
                           int maxEntriesPerMessage, int maxInFlightRounds) {
        this(members, self, tickMillis, readTimeoutMillis, writeTimeoutMillis, retransmitMillis, heartbeatMillis,
                maxEntriesPerMessage, maxInFlightRounds, DEFAULT_MAX_BYTES_PER_MESSAGE, DEFAULT_MAX_FOLLOWER_LAG);
    }

    /**
     * Defaults for servers on one machine or one LAN. One round in flight: on a LAN a round takes a fraction of a
     * millisecond, and the requests that arrive meanwhile make the next round's batch; more rounds in flight made
     * smaller rounds and more messages (sequencer benchmark, 16 and 64 clients: 20,150 and 29,745 ops/s with one
     * round, 16,734 and 25,867 with two, about 11,000 and 21,000 with four).
     */
    public static SequencerConfig of(List<String> members, String self) {
        return new SequencerConfig(members, self, 5, 500, 500, 50, 50, 512, 1);
    }

    /** ⌈(n+1)/2⌉ of the configured members. */
    public int majority() {
        return members.size() / 2 + 1;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
