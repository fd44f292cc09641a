package net.totalorder.replication.core;

/** A call refused before it was ordered, because this server has too many calls waiting (HTTP 503). */
public final class CallRefusedException extends RuntimeException {

    public CallRefusedException(String message) {
        super(message);
    }
}
