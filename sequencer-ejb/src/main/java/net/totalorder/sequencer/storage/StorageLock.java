package net.totalorder.sequencer.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock on a storage directory ({@code <dir>/lock}, an OS file lock): held while a {@link FileLog} has
 * it open, so that a second server configured with the same directory — or the operator's tool while the server runs
 * — is refused instead of interleaving its writes. The OS drops the lock when the process dies, so a kill -9 leaves
 * nothing to clean. Thread-safe.
 */
final class StorageLock {

    static final String FILE = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StorageLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws StorageException when another process, or another open log of this one, holds the directory */
    static StorageLock acquire(Path dir) {
        Path file = dir.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StorageException("cannot open " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            close(channel);
            throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            close(channel);
            throw new StorageException(dir + " is in use (" + file + " is locked): another server, or the storage "
                    + "tool, has it open; two servers must never share a storage directory");
        }
        return new StorageLock(channel, lock);
    }

    synchronized void release() {
        if (channel.isOpen()) {
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel below releases it as well
            }
            close(channel);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing was written through it
        }
    }
}
