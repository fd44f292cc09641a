package net.totalorder.bench.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The numbers one member obtained in a run, in ascending order, as a file of big-endian 64-bit values: written by
 * the member when the run ends, read by the driver to prove that the numbers of all members are unique.
 *
 * <p>Not thread-safe: one instance is read by one thread.
 */
public final class NumbersFile implements Closeable {

    private final DataInputStream in;
    private boolean hasNext;
    private long next;

    private NumbersFile(Path file) throws IOException {
        in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        advance();
    }

    /** Writes {@code sorted}, which must be in ascending order, to {@code file}. */
    public static void write(Path file, long[] sorted) throws IOException {
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (long n : sorted) {
                out.writeLong(n);
            }
        }
    }

    /** Opens {@code file} for reading its numbers in order. */
    public static NumbersFile open(Path file) throws IOException {
        return new NumbersFile(file);
    }

    public boolean hasNext() {
        return hasNext;
    }

    /** The next number; {@link #hasNext} must be true. */
    public long peek() {
        return next;
    }

    /** Moves past the current number. */
    public void advance() throws IOException {
        try {
            next = in.readLong();
            hasNext = true;
        } catch (EOFException e) {
            hasNext = false;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
