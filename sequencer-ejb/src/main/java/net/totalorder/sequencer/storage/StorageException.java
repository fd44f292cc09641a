package net.totalorder.sequencer.storage;

/**
 * The storage cannot be used as it is: a corrupt record before the tail, an unknown format version, a marker of
 * another member, an I/O failure. The message names the file and what is wrong; the replica does not start from
 * such a storage (or stops, if it happens while running).
 */
public final class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
