package net.totalorder.bench.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import net.totalorder.bench.protocol.NumbersFile;

/**
 * Proves that the numbers obtained by all members of one run are unique: merges the members' sorted numbers files
 * and fails at the first number that occurs twice, in one file or in two.
 *
 * <p>Stateless; the static method may be called from any thread.
 */
final class UniquenessCheck {

    private UniquenessCheck() {
    }

    /**
     * @return how many numbers the files hold in all
     * @throws DuplicateNumberException when a number occurs more than once
     */
    static long verify(List<Path> files) throws IOException, DuplicateNumberException {
        List<NumbersFile> open = new ArrayList<>();
        try {
            PriorityQueue<NumbersFile> byNext = new PriorityQueue<>(Comparator.comparingLong(NumbersFile::peek));
            for (Path file : files) {
                NumbersFile numbers = NumbersFile.open(file);
                open.add(numbers);
                if (numbers.hasNext()) {
                    byNext.add(numbers);
                }
            }
            long count = 0;
            boolean first = true;
            long previous = 0;
            while (!byNext.isEmpty()) {
                NumbersFile smallest = byNext.poll();
                long number = smallest.peek();
                if (!first && number == previous) {
                    throw new DuplicateNumberException(number);
                }
                first = false;
                previous = number;
                count++;
                smallest.advance();
                if (smallest.hasNext()) {
                    byNext.add(smallest);
                }
            }
            return count;
        } finally {
            for (NumbersFile numbers : open) {
                numbers.close();
            }
        }
    }

    /** A sequence-number service returned the same number twice. */
    static final class DuplicateNumberException extends Exception {
        final long number;

        DuplicateNumberException(long number) {
            super("the number " + number + " was returned more than once");
            this.number = number;
        }
    }
}
