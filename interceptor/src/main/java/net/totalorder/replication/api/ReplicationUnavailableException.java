package net.totalorder.replication.api;

/**
 * No reply in time: a majority of the cluster could not be reached, or the local replica could not catch up
 * (HTTP 503 with Retry-After). The call may or may not have been ordered; retry it with the same idempotency key.
 */
public class ReplicationUnavailableException extends RuntimeException {

    public ReplicationUnavailableException(String message) {
        super(message);
    }
}
