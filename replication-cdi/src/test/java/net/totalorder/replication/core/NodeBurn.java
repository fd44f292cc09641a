package net.totalorder.replication.core;

import java.security.SecureRandom;

import net.totalorder.sequencer.simulation.SeedRunner;

/**
 * Runs any number of fresh seeds of the node-level simulation ({@link NodeRun}) and prints how many ran and every
 * failing seed:
 *
 * <pre>
 * mvn -q -DskipTests install
 * mvn -f replication-cdi/pom.xml -Pburn test-compile exec:java -Dseeds=100000 [-DfirstSeed=N]
 * </pre>
 * Without {@code -DfirstSeed} the seeds start at a random number, printed first. Exits with status 1 when a seed
 * failed; the first failure's report (trace included) is printed.
 */
public final class NodeBurn {

    private NodeBurn() {
    }

    public static void main(String[] args) {
        long count = Long.getLong("seeds", 10_000);
        Long given = Long.getLong("firstSeed");
        long first = given != null ? given : (new SecureRandom().nextLong() & Long.MAX_VALUE) / 2;
        System.out.println("node burn: " + count + " seeds from " + first + " on "
                + Runtime.getRuntime().availableProcessors() + " cores");
        long done = 0;
        long failed = 0;
        SeedRunner.Summary firstFailure = null;
        while (done < count) {
            long n = Math.min(1_000, count - done);
            SeedRunner.Summary s = NodeSimulationTest.runSeeds(first + done, n);
            done += n;
            failed += s.failures().size();
            if (firstFailure == null && !s.failures().isEmpty()) {
                firstFailure = s;
            }
            System.out.println("  " + done + "/" + count + ": " + s.describe());
        }
        System.out.println("node burn: ran " + done + " seeds from " + first + ", " + failed + " failed");
        if (firstFailure != null) {
            System.out.println(firstFailure.failures().get(0).getMessage());
            System.exit(1);
        }
    }
}
