package net.totalorder.it.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.totalorder.derms.domain.Status;
import org.junit.jupiter.api.Test;

/**
 * The checker (decomposition, memoized search, shrinking) must agree with the definition of linearizability, tried
 * by brute force on small random histories: some order of the operations respecting real time, in which every known
 * outcome matches the model and UNKNOWN operations take effect after their invocation or never.
 */
class BruteForceAgreementTest {

    private static final List<DermsCall> SETUP = Histories.setup(
            "addResource MTLR1111 MTL1001 AMBULANCE 5",
            "addResource QUER2222 QUE2001 AMBULANCE 5",
            "addResource QUER2222 QUE2002 FIRETRUCK 5");
    private static final String[] RESOURCES = {"MTL1001", "QUE2001", "QUE2002"};
    private static final String[] COORDINATORS = {"SHEC0001", "SHEC0002"};
    private static final String[] TYPES = {"AMBULANCE", "FIRETRUCK"};

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @Test
    void randomSmallHistories_checkerAgreesWithBruteForce() {
        Random random = new Random(7);
        int linearizable = 0;
        int violations = 0;
        for (int round = 0; round < 1500; round++) {
            List<Operation> history = randomHistory(random);
            boolean expected = bruteForce(SequentialDerms.after(SETUP), history, new boolean[history.size()]);

            CheckResult result = checker.check(SETUP, history);

            String context = "round " + round + ": " + result.report() + "\n" + history;
            assertEquals(expected, result instanceof CheckResult.Linearizable, context);
            if (result instanceof CheckResult.Violation violation) {
                violations++;
                assertTrue(history.containsAll(violation.minimalSubHistory()), violation.report());
                assertEquals(CheckResult.Certification.CERTIFIED, violation.certification(), violation.report());
            } else {
                assertInstanceOf(CheckResult.Linearizable.class, result);
                linearizable++;
            }
        }
        assertTrue(linearizable > 300 && violations > 300, linearizable + " linearizable, " + violations);
    }

    /** Six overlapping operations; outcomes from a random valid execution, half the time with one changed. */
    private static List<Operation> randomHistory(Random random) {
        record Planned(int index, long invoke, long response, long point, DermsCall call) {
        }
        List<Planned> planned = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long invoke = random.nextInt(20);
            long response = invoke + 1 + random.nextInt(8);
            planned.add(new Planned(i, invoke, response, invoke + random.nextInt((int) (response - invoke) + 1),
                    randomCall(random)));
        }
        List<Planned> byPoint = new ArrayList<>(planned);
        byPoint.sort(Comparator.comparingLong(Planned::point));
        Outcome[] outcomes = new Outcome[planned.size()];
        SequentialDerms state = SequentialDerms.after(SETUP);
        for (Planned operation : byPoint) {
            SequentialDerms.Step step = state.apply(operation.call());
            state = step.state();
            outcomes[operation.index()] = step.result();
        }
        if (random.nextBoolean()) {
            int changed = random.nextInt(outcomes.length);
            Outcome.Observed observed = (Outcome.Observed) outcomes[changed];
            outcomes[changed] = observed.resources() == null
                    ? new Outcome.Observed(Status.values()[(observed.status().ordinal() + 1) % 3], null)
                    : new Outcome.Observed(Status.SUCCESS, observed.resources().isEmpty()
                            ? List.of(Outcome.entry("MTL1001", "AMBULANCE", 1)) : List.of());
        }
        List<Operation> history = new ArrayList<>();
        for (Planned operation : planned) {
            // An UNKNOWN operation here always took effect; the search may still leave it out.
            Outcome outcome = random.nextInt(8) == 0 ? Outcome.unknown() : outcomes[operation.index()];
            history.add(new Operation("c" + operation.index(), Histories.ms(operation.invoke()),
                    Histories.ms(operation.response()), operation.call(), outcome));
        }
        return history;
    }

    private static DermsCall randomCall(Random random) {
        String resource = RESOURCES[random.nextInt(RESOURCES.length)];
        String coordinator = COORDINATORS[random.nextInt(COORDINATORS.length)];
        String type = TYPES[random.nextInt(TYPES.length)];
        String responder = resource.substring(0, 3) + "R1111";
        return switch (random.nextInt(8)) {
            case 0 -> DermsCall.addResource(responder, resource, type, 1 + random.nextInt(8));
            case 1 -> DermsCall.removeResource(responder, resource, 1 + random.nextInt(5));
            case 2 -> DermsCall.listResourceAvailability(responder, type);
            case 3, 4 -> DermsCall.requestResource(coordinator, resource, 1 + random.nextInt(4));
            case 5 -> DermsCall.findResource(coordinator, type);
            case 6 -> DermsCall.returnResource(coordinator, resource);
            default -> DermsCall.swapResource(coordinator, resource, type, RESOURCES[random.nextInt(RESOURCES.length)],
                    TYPES[random.nextInt(TYPES.length)]);
        };
    }

    /** Whether the operations not yet {@code done} can be linearized from {@code state}, by trying every order. */
    private static boolean bruteForce(SequentialDerms state, List<Operation> history, boolean[] done) {
        boolean knownLeft = false;
        for (int i = 0; i < history.size(); i++) {
            knownLeft |= !done[i] && history.get(i).known();
        }
        if (!knownLeft) {
            return true;
        }
        for (int i = 0; i < history.size(); i++) {
            if (!done[i] && mayGoNext(history, done, i)) {
                Operation operation = history.get(i);
                SequentialDerms.Step step = state.apply(operation.call());
                boolean matches = !(operation.outcome() instanceof Outcome.Observed observed)
                        || observed.matches(operation.call(), step.result());
                done[i] = true;
                boolean found = matches && bruteForce(step.state(), history, done);
                done[i] = false;
                if (found) {
                    return true;
                }
            }
        }
        return false;
    }

    /** No other pending operation with a known outcome responded before this one was invoked. */
    private static boolean mayGoNext(List<Operation> history, boolean[] done, int candidate) {
        for (int i = 0; i < history.size(); i++) {
            Operation other = history.get(i);
            if (!done[i] && i != candidate && other.known()
                    && other.responseNanos() < history.get(candidate).invokeNanos()) {
                return false;
            }
        }
        return true;
    }
}
