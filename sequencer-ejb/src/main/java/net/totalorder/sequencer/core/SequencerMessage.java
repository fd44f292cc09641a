package net.totalorder.sequencer.core;

import java.util.List;

/**
 * Every message of the sequencer protocol. Immutable records; {@link SequencerCodec} is their only wire form.
 *
 * <p>Client ↔ replica: {@link GetSeq}, {@link Seq}, {@link NotPrimary}; and, for the ordered log,
 * {@link FetchDefinitive} / {@link DefinitiveEntries}.
 * Replica ↔ replica (accepted only from configured members): {@link ReadMaj}/{@link ReadMajReply},
 * {@link WriteMaj}/{@link WriteMajReply}, and {@link Recover}/{@link RecoverReply} for a restarted replica.
 */
public sealed interface SequencerMessage {

    /** A client asks for the sequence number of {@code reqId}; {@code payload} travels with the assignment. */
    record GetSeq(String reqId, byte[] payload) implements SequencerMessage {
        public GetSeq {
            TentativeAssignment.validateRequest(reqId, payload);
        }
    }

    /** The definitive sequence number of {@code reqId}; sent only once the assignment is definitive. */
    record Seq(String reqId, long seq) implements SequencerMessage {
    }

    /** The receiver cannot serve {@code reqId} now; {@code leaderHint} is who it believes leads, or null. */
    record NotPrimary(String reqId, String leaderHint) implements SequencerMessage {
    }

    /**
     * ReadMaj of candidate epoch {@code epoch}: the receiver promises to refuse any WriteMaj of a lower epoch,
     * then returns its state from {@code fromSeq} on (the candidate already holds everything definitive below).
     */
    record ReadMaj(long epoch, long fromSeq) implements SequencerMessage {
    }

    /**
     * Answer to {@link ReadMaj}. When {@code promised} is false the replica had already promised
     * {@code promisedEpoch} ≥ the asked epoch and returns nothing else. Otherwise {@code stateEpoch} is
     * {@code state.epoch} (the epoch of the last primary whose log it installed), {@code lastSeq} the end of its
     * TA, and {@code entries} its TA from the asked {@code fromSeq} to {@code lastSeq}.
     */
    record ReadMajReply(long epoch, boolean promised, long promisedEpoch, long stateEpoch, long definitiveUpTo,
                        long lastSeq, List<TentativeAssignment> entries) implements SequencerMessage {
        public ReadMajReply {
            entries = List.copyOf(entries);
        }
    }

    /**
     * WriteMaj of primary (or css candidate) {@code epoch}: append {@code entries} after position
     * {@code prevSeq}, whose assignment has epoch {@code prevEpoch}. {@code startSeq} is the end of the log the
     * epoch's primary adopted in its css: a replica holding that prefix has installed the epoch.
     * {@code definitiveUpTo} tells the receiver how far the sender's log is definitive. Without
     * {@code ackRequested} (an announcement of what became definitive, which no round waits for) a receiver that
     * matches does not answer; one that cannot match still refuses, so that it is caught up.
     */
    record WriteMaj(long epoch, long startSeq, long prevSeq, long prevEpoch, List<TentativeAssignment> entries,
                    long definitiveUpTo, boolean ackRequested) implements SequencerMessage {
        public WriteMaj {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Answer to {@link WriteMaj}. {@code ok}: the receiver's TA matches the sender's up to {@code matchSeq}.
     * Not ok: either the receiver promised a higher {@code promisedEpoch}, or it could not match
     * {@code prevSeq} and asks for entries from {@code matchSeq + 1} on.
     */
    record WriteMajReply(long epoch, boolean ok, long matchSeq, long promisedEpoch) implements SequencerMessage {
    }

    /** A restarted replica asks for the state of the others; {@code nonce} tells its attempts apart. */
    record Recover(long nonce) implements SequencerMessage {
    }

    /**
     * Answer to {@link Recover}. A replica that is itself recovering says so and sends nothing else; otherwise
     * it sends its whole state: the highest epoch it knows of, {@code state.epoch}, how far it knows assignments
     * are definitive, and its entire TA.
     */
    record RecoverReply(long nonce, boolean recovering, long highestEpoch, long stateEpoch, long definitiveUpTo,
                        List<TentativeAssignment> entries) implements SequencerMessage {
        public RecoverReply {
            entries = List.copyOf(entries);
        }
    }

    /** Asks for at most {@code max} definitive assignments from {@code fromSeq} on (gap filling, catch-up). */
    record FetchDefinitive(long fromSeq, int max) implements SequencerMessage {
    }

    /** Definitive assignments from the asked seq on, in order and gap-free, and how far the sender knows. */
    record DefinitiveEntries(long definitiveUpTo, List<TentativeAssignment> entries) implements SequencerMessage {
        public DefinitiveEntries {
            entries = List.copyOf(entries);
        }
    }
}
