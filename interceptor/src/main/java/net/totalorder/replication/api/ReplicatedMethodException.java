package net.totalorder.replication.api;

/**
 * The replicated method threw an exception that cannot be rebuilt here, for a caller whose reply came from a
 * replica that did not throw it itself (a retry answered from a snapshot's reply cache): the original type's name
 * and message. Exceptions the method declares, and unchecked exceptions of the application's own classes with a
 * public constructor taking the message, are rebuilt as themselves instead.
 */
public class ReplicatedMethodException extends RuntimeException {

    private final String exceptionType;

    public ReplicatedMethodException(String exceptionType, String message) {
        super(exceptionType + (message == null ? "" : ": " + message));
        this.exceptionType = exceptionType;
    }

    /** The class name of the exception the method threw. */
    public String exceptionType() {
        return exceptionType;
    }
}
