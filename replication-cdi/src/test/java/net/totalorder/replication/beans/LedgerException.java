package net.totalorder.replication.beans;

/** An application exception of {@link Ledger}: part of the reply, thrown to the caller on every retry. */
public class LedgerException extends RuntimeException {

    public LedgerException(String message) {
        super(message);
    }
}
