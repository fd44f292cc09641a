package net.totalorder.bench.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class BenchmarkRunTest {

    @Test
    void clientsAreSpreadAsEvenlyAsPossibleExtraThreadsOnTheLastMembers() {
        assertArrayEquals(new int[] {0, 0, 1}, BenchmarkRun.clientsPerMember(1, 3));
        assertArrayEquals(new int[] {1, 1, 2}, BenchmarkRun.clientsPerMember(4, 3));
        assertArrayEquals(new int[] {5, 5, 6}, BenchmarkRun.clientsPerMember(16, 3));
        assertArrayEquals(new int[] {21, 21, 22}, BenchmarkRun.clientsPerMember(64, 3));
        assertArrayEquals(new int[] {2, 2, 2}, BenchmarkRun.clientsPerMember(6, 3));
    }
}
