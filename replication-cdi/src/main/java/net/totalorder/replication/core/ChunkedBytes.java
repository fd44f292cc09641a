package net.totalorder.replication.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes held in blocks of {@value #BLOCK} bytes, so that a snapshot of any size needs no single huge array:
 * written once through {@link #output()} and {@link #seal()}ed (which trims the last block), then read at random
 * ({@link #read}) or as a stream. Written by one thread, then read-only (and safe to share once published).
 *
 * <p>Invariant: every block but the last holds exactly {@value #BLOCK} bytes.
 */
final class ChunkedBytes {

    /**
     * Just under 1 MB so that a block with its array header fills one 1 MB region of the G1 collector (the region
     * size of heaps up to 2 GB) instead of two: a snapshot of 20 MB then holds 20 regions, not 40. Blocks stay
     * large objects on purpose: G1 frees a dead one at the next young collection without copying it.
     */
    static final int BLOCK = (1 << 20) - 64;

    private final List<byte[]> blocks = new ArrayList<>();
    private long size;

    long size() {
        return size;
    }

    /** Appends; not to be used once the bytes are shared. */
    OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                while (len > 0) {
                    int inBlock = (int) (size % BLOCK);
                    if (inBlock == 0) {
                        blocks.add(new byte[BLOCK]);
                    }
                    int n = Math.min(len, BLOCK - inBlock);
                    System.arraycopy(b, off, blocks.get(blocks.size() - 1), inBlock, n);
                    off += n;
                    len -= n;
                    size += n;
                }
            }
        };
    }

    /** Ends writing: the last block shrinks to what it holds. Returns this. */
    ChunkedBytes seal() {
        int inLast = (int) (size % BLOCK);
        if (inLast != 0) {
            blocks.set(blocks.size() - 1, java.util.Arrays.copyOf(blocks.get(blocks.size() - 1), inLast));
        }
        return this;
    }

    /** A sealed copy of {@code bytes}. */
    static ChunkedBytes of(byte[] bytes) {
        ChunkedBytes c = new ChunkedBytes();
        try {
            c.output().write(bytes, 0, bytes.length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);   // cannot happen: writes to memory
        }
        return c.seal();
    }

    /** Up to {@code max} bytes from {@code offset} (fewer at the end). */
    byte[] read(long offset, int max) {
        if (offset < 0 || offset > size) {
            throw new IllegalArgumentException("offset " + offset + " outside 0.." + size);
        }
        byte[] out = new byte[(int) Math.min(max, size - offset)];
        int done = 0;
        while (done < out.length) {
            long at = offset + done;
            byte[] block = blocks.get((int) (at / BLOCK));
            int inBlock = (int) (at % BLOCK);
            int n = Math.min(out.length - done, BLOCK - inBlock);
            System.arraycopy(block, inBlock, out, done, n);
            done += n;
        }
        return out;
    }

    /** The bytes from {@code from}, up to {@code to} (exclusive), as a stream. */
    InputStream input(long from, long to) {
        return new InputStream() {
            private long at = from;

            @Override
            public int read() {
                if (at >= to) {
                    return -1;
                }
                byte b = blocks.get((int) (at / BLOCK))[(int) (at % BLOCK)];
                at++;
                return b & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= to) {
                    return -1;
                }
                int n = (int) Math.min(len, Math.min(to - at, BLOCK - at % BLOCK));
                System.arraycopy(blocks.get((int) (at / BLOCK)), (int) (at % BLOCK), b, off, n);
                at += n;
                return n;
            }
        };
    }
}
