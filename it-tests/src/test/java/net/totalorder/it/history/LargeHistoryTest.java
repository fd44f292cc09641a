package net.totalorder.it.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Histories of hundreds of concurrent operations, made linearizable by construction: each operation gets a
 * linearization point inside its interval and its outcome from the model applied in the order of those points.
 */
class LargeHistoryTest {

    private static final String[] TYPES = {"PERSONNEL", "AMBULANCE", "FIRETRUCK"};

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    /** A generated operation before its outcome is known: when it took effect, or that it never did. */
    private record Planned(String clientId, long invokeNanos, long responseNanos, DermsCall call, long pointNanos,
                           boolean tookEffect, boolean unknown) {
    }

    /**
     * {@code groups} independent groups of two resources each (group 0 of type PERSONNEL with listings, the others
     * without listings so that they stay independent).
     */
    private static List<DermsCall> setupOf(int groups) {
        List<DermsCall> setup = new ArrayList<>();
        for (int group = 0; group < groups; group++) {
            for (String id : resourcesOf(group)) {
                setup.add(DermsCall.addResource("MTLR0001", id, typeOf(group), 10));
            }
        }
        return setup;
    }

    /**
     * Each group is worked on by {@code clients} clients, each with its own coordinator and one operation at a time,
     * 1 to 6 ms long, 0 to 2 ms apart, so the clients' operations overlap. Each operation takes effect at a random
     * point of its interval, in which order the model computes the outcomes; an UNKNOWN one took effect or not at
     * random. The result is in invocation order.
     */
    private static List<Operation> generate(int groups, int operationsPerGroup, int clients, double unknownRate,
                                            long seed) {
        Random random = new Random(seed);
        List<Planned> planned = new ArrayList<>();
        for (int group = 0; group < groups; group++) {
            long[] clientClock = new long[clients];
            for (int i = 0; i < operationsPerGroup; i++) {
                int client = random.nextInt(clients);
                long invoke = clientClock[client] + Histories.ms(random.nextInt(3));
                long response = invoke + Histories.ms(1 + random.nextInt(6));
                clientClock[client] = response;
                long point = invoke + (long) (random.nextDouble() * (response - invoke));
                boolean unknown = random.nextDouble() < unknownRate;
                planned.add(new Planned("g" + group + "c" + client, invoke, response,
                        randomCall(random, group, client), point, !unknown || random.nextBoolean(), unknown));
            }
        }
        planned.sort(Comparator.comparingLong(Planned::pointNanos));
        SequentialDerms state = SequentialDerms.after(setupOf(groups));
        List<Operation> history = new ArrayList<>();
        for (Planned operation : planned) {
            Outcome outcome = Outcome.unknown();
            if (operation.tookEffect()) {
                SequentialDerms.Step step = state.apply(operation.call());
                state = step.state();
                outcome = operation.unknown() ? Outcome.unknown() : step.result();
            }
            history.add(new Operation(operation.clientId(), operation.invokeNanos(), operation.responseNanos(),
                    operation.call(), outcome));
        }
        history.sort(Comparator.comparingLong(Operation::invokeNanos));
        return history;
    }

    private static DermsCall randomCall(Random random, int group, int client) {
        List<String> resources = resourcesOf(group);
        String resource = resources.get(random.nextInt(2));
        String coordinator = "QUEC" + group + "00" + client;
        String type = typeOf(group);
        int kind = random.nextInt(100);
        if (kind < 30) {
            return DermsCall.requestResource(coordinator, resource, 1 + random.nextInt(6));
        } else if (kind < 45) {
            return DermsCall.returnResource(coordinator, resource);
        } else if (kind < 60) {
            return DermsCall.findResource(coordinator, type);
        } else if (kind < 70) {
            return DermsCall.addResource("MTLR0001", resource, type, 5 + random.nextInt(10));
        } else if (kind < 75) {
            return DermsCall.removeResource("MTLR0001", resource, 1 + random.nextInt(4));
        } else if (kind < 85 || group != 0) {
            String other = resources.get(resource.equals(resources.get(0)) ? 1 : 0);
            return DermsCall.swapResource(coordinator, resource, type, other, type);
        }
        return DermsCall.listResourceAvailability("MTLR0001", type);
    }

    private static List<String> resourcesOf(int group) {
        return List.of("MTL1" + group + "01", "MTL1" + group + "02");
    }

    private static String typeOf(int group) {
        return TYPES[Math.min(group, 1 + group % 2)];
    }

    @Test
    void fourHundredOperationsOnEightIndependentGroups_isLinearizableWithinASecond() {
        List<Operation> history = generate(8, 50, 4, 0.02, 1);

        long start = System.nanoTime();
        CheckResult.Linearizable result = checker.assertLinearizable(setupOf(8), history);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        System.out.println("400 operations, " + result.parts() + " parts, " + result.searchSteps() + " steps: "
                + elapsedMillis + " ms");
        assertEquals(400, result.operations());
        assertEquals(8, result.parts());
        assertTrue(elapsedMillis < 1_000, elapsedMillis + " ms");
    }

    @Test
    void threeHundredOperationsInOnePart_isLinearizableWithinASecond() {
        List<Operation> history = generate(1, 300, 4, 0.02, 2);

        long start = System.nanoTime();
        CheckResult.Linearizable result = checker.assertLinearizable(setupOf(1), history);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        System.out.println("300 operations in " + result.parts() + " part, " + result.searchSteps() + " steps: "
                + elapsedMillis + " ms");
        assertEquals(1, result.parts());
        assertTrue(elapsedMillis < 1_000, elapsedMillis + " ms");
    }

    @Test
    void staleFindInjectedIntoFourHundredOperations_isShrunkToTheGrantAndTheFind() {
        List<Operation> generated = generate(8, 50, 4, 0.0, 3);
        // A coordinator is used by one client only, so after its granted request responds and before its next
        // operation is invoked, it surely holds the resource: a find by another client then must not miss it.
        Operation grant = null;
        for (int i = generated.size() / 2; i < generated.size() && grant == null; i++) {
            Operation operation = generated.get(i);
            if (operation.call() instanceof DermsCall.Request && operation.outcome().toString().equals("SUCCESS")
                    && nextInvocationOf(generated, operation) - operation.responseNanos() >= Histories.ms(1)) {
                grant = operation;
            }
        }
        long findAt = grant.responseNanos() + 1;
        DermsCall find = DermsCall.findResource(grant.call().userId(), typeOf(grant.clientId().charAt(1) - '0'));
        Operation staleFind = new Operation("observer", findAt, findAt + 10, find, Outcome.of("SUCCESS", List.of()));
        List<Operation> history = new ArrayList<>(generated);
        history.add(staleFind);

        long start = System.nanoTime();
        CheckResult result = checker.check(setupOf(8), history);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        System.out.println("stale find in 401 operations found and shrunk in " + elapsedMillis + " ms:\n"
                + violation.report());
        assertTrue(violation.minimalSubHistory().contains(staleFind), violation.report());
        assertTrue(violation.minimalSubHistory().size() <= 3, violation.report());
        assertEquals(CheckResult.Certification.CERTIFIED, violation.certification(), violation.report());
        assertTrue(elapsedMillis < 3_000, elapsedMillis + " ms");
    }

    private static long nextInvocationOf(List<Operation> history, Operation operation) {
        return history.stream().filter(other -> other.clientId().equals(operation.clientId())
                        && other.invokeNanos() > operation.invokeNanos())
                .mapToLong(Operation::invokeNanos).min().orElse(Long.MAX_VALUE);
    }
}
