package net.totalorder.bench.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class MemberResultTest {

    @Test
    void aResultLineCarriesEveryFieldAndTheHistogram() {
        Histogram latencies = new Histogram(3);
        for (int micros = 100; micros <= 10_000; micros += 100) {
            latencies.recordValue(micros);
        }
        MemberResult sent = new MemberResult(100, 2_000_000_000L, 3_100_200_300L, 3, 104, latencies);

        String line = sent.toLine();
        MemberResult received = MemberResult.parse(line);

        assertEquals(1, line.lines().count());
        assertEquals(100, received.ops());
        assertEquals(2_000_000_000L, received.nanos());
        assertEquals(3_100_200_300L, received.cpuNanos());
        assertEquals(3, received.errors());
        assertEquals(104, received.numbers());
        assertEquals(latencies.getTotalCount(), received.latencies().getTotalCount());
        assertEquals(latencies.getValueAtPercentile(99), received.latencies().getValueAtPercentile(99));
    }

    @Test
    void aLineWithoutAFieldIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> MemberResult.parse(Protocol.RESULT + "ops=1 nanos=2"));
        assertThrows(IllegalArgumentException.class, () -> MemberResult.parse("RESULT ops=1"));
    }
}
