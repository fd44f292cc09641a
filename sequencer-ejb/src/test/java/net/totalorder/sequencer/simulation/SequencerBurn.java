package net.totalorder.sequencer.simulation;

import java.security.SecureRandom;

/**
 * Runs any number of fresh seeds against the sequencer and prints how many ran and every failing seed.
 *
 * <pre>
 * mvn -f sequencer-ejb/pom.xml -Pburn test-compile exec:java -Dseeds=100000 [-DfirstSeed=N]
 * </pre>
 * Without {@code -DfirstSeed} the seeds start at a random number, printed first, so every burn covers new
 * schedules. Exits with status 1 when a seed failed; the first failure's report (trace included) is printed.
 */
public final class SequencerBurn {

    private SequencerBurn() {
    }

    public static void main(String[] args) {
        long count = Long.getLong("seeds", 10_000);
        Long given = Long.getLong("firstSeed");
        long first = given != null ? given : (new SecureRandom().nextLong() & Long.MAX_VALUE) / 2;
        System.out.println("sequencer burn: " + count + " seeds from " + first + " on "
                + Runtime.getRuntime().availableProcessors() + " cores");
        long done = 0;
        long failed = 0;
        long chunk = Long.getLong("chunk", 5_000);
        SeedRunner.Summary firstFailure = null;
        while (done < count) {
            long n = Math.min(chunk, count - done);
            SeedRunner.Summary s = SeedRunner.run(first + done, n);
            done += n;
            failed += s.failures().size();
            if (firstFailure == null && !s.failures().isEmpty()) {
                firstFailure = s;
            }
            System.out.println("  " + done + "/" + count + ": " + s.describe());
        }
        System.out.println("sequencer burn: ran " + done + " seeds from " + first + ", " + failed + " failed");
        if (firstFailure != null) {
            System.out.println(firstFailure.failures().get(0).getMessage());
            System.exit(1);
        }
    }
}
