package net.totalorder.sequencer.core;

/**
 * How the protocol sends. Contract (as in MicroRaft's transport): {@link #send} never blocks and never throws
 * for network reasons; a message may be lost, duplicated, delayed or reordered, and every handler is written to
 * be idempotent. Incoming messages are handed to the protocol object on its own serial executor.
 */
public interface Transport {

    /** Sends {@code message} to the process named {@code to}; best effort. */
    void send(String to, SequencerMessage message);
}
