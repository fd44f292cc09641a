package net.totalorder.derms.domain;

/**
 * A well-formed request that the user may not make (HTTP 403): an operation of the other role, or a responder
 * adding or removing a resource of another city. Such a request never reaches the replicated log.
 */
public class ForbiddenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
