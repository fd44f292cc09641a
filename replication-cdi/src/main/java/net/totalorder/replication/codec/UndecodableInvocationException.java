package net.totalorder.replication.codec;

/** An ordered payload that is not the encoding of a call of a replicated method; it is rejected, nothing runs. */
public final class UndecodableInvocationException extends Exception {

    public UndecodableInvocationException(String message) {
        super(message);
    }

    public UndecodableInvocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
