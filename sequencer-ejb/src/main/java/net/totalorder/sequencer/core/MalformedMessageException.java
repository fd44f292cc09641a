package net.totalorder.sequencer.core;

/** Bytes that are not a well-formed sequencer message; the message is dropped and nothing changes. */
public final class MalformedMessageException extends IllegalArgumentException {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
