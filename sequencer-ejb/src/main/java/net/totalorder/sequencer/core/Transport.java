package net.totalorder.sequencer.core;

import java.util.List;

/**
 * How the protocol sends. Contract (as in MicroRaft's transport): {@link #send} never blocks and never throws
 * for network reasons; a message may be lost, duplicated, delayed or reordered, and every handler is written to
 * be idempotent. Incoming messages are handed to the protocol object on its own serial executor.
 */
public interface Transport {

    /** Sends {@code message} to the process named {@code to}; best effort. */
    void send(String to, SequencerMessage message);

    /**
     * Sends {@code messages}, in this order, to {@code to}. A transport that can carry them in one network message
     * does so ({@link SequencerCodec#encodeAll}); the receiver handles them one by one, as if sent one by one.
     */
    default void send(String to, List<SequencerMessage> messages) {
        messages.forEach(m -> send(to, m));
    }
}
