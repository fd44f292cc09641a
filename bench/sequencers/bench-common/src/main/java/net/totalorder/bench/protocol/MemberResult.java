package net.totalorder.bench.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;

import org.HdrHistogram.Histogram;

/**
 * What one member measured, as it reports it to the driver in one line:
 * {@code BENCH RESULT ops=9123 nanos=2000113541 cpu=3100200300 errors=0 numbers=12001 histogram=HISTFAAAA...}.
 *
 * @param ops       operations completed while recording
 * @param nanos     how long this member recorded
 * @param cpuNanos  the CPU time this member's JVM used while recording, all its threads (the service's and the load
 *                  threads'), user and system
 * @param errors    operations that failed while recording
 * @param numbers   how many numbers this member obtained in the whole run (warm-up and probe included), which is
 *                  how many its numbers file holds
 * @param latencies latency in microseconds of every operation completed while recording
 *
 * <p>Not thread-safe (the histogram is mutable): used by one thread at a time.
 */
public record MemberResult(long ops, long nanos, long cpuNanos, long errors, long numbers, Histogram latencies) {

    /** The line that reports this result. */
    public String toLine() {
        ByteBuffer buffer = ByteBuffer.allocate(latencies.getNeededByteBufferCapacity());
        int length = latencies.encodeIntoCompressedByteBuffer(buffer);
        String histogram = Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
        return Protocol.RESULT + "ops=" + ops + " nanos=" + nanos + " cpu=" + cpuNanos + " errors=" + errors
                + " numbers=" + numbers
                + " histogram=" + histogram;
    }

    /** The result a line reports; fails on a line that is not a well-formed result. */
    public static MemberResult parse(String line) {
        if (!line.startsWith(Protocol.RESULT)) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, String> fields = new HashMap<>();
        for (String field : line.substring(Protocol.RESULT.length()).trim().split(" ")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("malformed field '" + field + "' in result line");
            }
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        try {
            Histogram latencies = Histogram.decodeFromCompressedByteBuffer(
                    ByteBuffer.wrap(Base64.getDecoder().decode(field(fields, "histogram"))), 0);
            return new MemberResult(Long.parseLong(field(fields, "ops")), Long.parseLong(field(fields, "nanos")),
                    Long.parseLong(field(fields, "cpu")), Long.parseLong(field(fields, "errors")),
                    Long.parseLong(field(fields, "numbers")), latencies);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("undecodable histogram in result line", e);
        }
    }

    private static String field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("result line has no field " + name);
        }
        return value;
    }
}
