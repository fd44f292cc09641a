package net.totalorder.bench.member;

import java.util.Arrays;

/**
 * A growable array of longs: the numbers one load thread obtained, without boxing.
 *
 * <p>Not thread-safe: filled by one thread, read by another only after that thread has ended.
 */
final class LongList {

    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    /** Copies the values into {@code target} from {@code offset} on. */
    void copyTo(long[] target, int offset) {
        System.arraycopy(values, 0, target, offset, size);
    }
}
