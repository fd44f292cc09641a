package net.totalorder.replication.api;

/** The idempotency key was already used for a different invocation (HTTP 422); nothing was executed. */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
