package net.totalorder.bench.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.totalorder.bench.driver.UniquenessCheck.DuplicateNumberException;
import net.totalorder.bench.protocol.NumbersFile;

class UniquenessCheckTest {

    @TempDir
    Path dir;

    @Test
    void interleavedUniqueNumbersOfThreeMembersPass() throws Exception {
        List<Path> files = List.of(file("m0", 1, 4, 7), file("m1", 2, 5, 8, 9), file("m2"));

        assertEquals(7, UniquenessCheck.verify(files));
    }

    @Test
    void aNumberReturnedToTwoMembersFails() throws Exception {
        List<Path> files = List.of(file("m0", 1, 4, 7), file("m1", 2, 4), file("m2", 3));

        DuplicateNumberException e = assertThrows(DuplicateNumberException.class,
                () -> UniquenessCheck.verify(files));
        assertEquals(4, e.number);
    }

    @Test
    void aNumberReturnedTwiceToOneMemberFails() throws Exception {
        List<Path> files = List.of(file("m0", 1, 2, 2, 3));

        assertThrows(DuplicateNumberException.class, () -> UniquenessCheck.verify(files));
    }

    private Path file(String name, long... sorted) throws Exception {
        Path file = dir.resolve(name + ".numbers");
        NumbersFile.write(file, sorted);
        return file;
    }
}
