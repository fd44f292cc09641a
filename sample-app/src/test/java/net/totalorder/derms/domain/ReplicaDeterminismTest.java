package net.totalorder.derms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A long pseudo-random history (fixed seed, so every run is the same) applied to two replicas: they must agree on
 * every result and digest, a FAILURE must leave the digest unchanged, and any other outcome of a state-changing
 * operation must change it; after every operation the query indexes must match a scan of the state.
 */
class ReplicaDeterminismTest {

    private static final List<String> RESOURCE_IDS =
            List.of("MTL1001", "MTL1002", "QUE2001", "QUE2002", "SHE3001", "SHE3002");
    private static final List<String> COORDINATORS = List.of("MTLC0001", "QUEC0002", "SHEC0003", "MTLC0004");
    private static final int OPERATIONS = 5000;

    @Test
    void randomHistory_replicasAgreeAndFailuresChangeNothing() {
        Random random = new Random(20241111L);
        Derms replica = new Derms();
        Derms other = new Derms();
        Map<Status, Integer> outcomes = new EnumMap<>(Status.class);

        for (int i = 0; i < OPERATIONS; i++) {
            int kind = random.nextInt(7);
            boolean changesState = kind < 5;
            Function<Derms, Result> operation = randomOperation(kind, random);
            String before = replica.state.digest();

            Result result = operation.apply(replica);

            assertEquals(result, operation.apply(other), "operation " + i);
            replica.state.checkIndexes();
            assertEquals(replica.state.digest(), other.state.digest(), "operation " + i);
            if (result.status() == Status.FAILURE || !changesState) {
                assertEquals(before, replica.state.digest(), "operation " + i + ": " + result.message());
            } else {
                assertNotEquals(before, replica.state.digest(), "operation " + i + ": " + result.message());
            }
            outcomes.merge(result.status(), 1, Integer::sum);
        }
        // The history must exercise every outcome, or the test proves little.
        assertTrue(outcomes.getOrDefault(Status.FAILURE, 0) > 100, outcomes.toString());
        assertTrue(outcomes.getOrDefault(Status.WAITLISTED, 0) > 100, outcomes.toString());
        assertTrue(outcomes.getOrDefault(Status.SUCCESS, 0) > 100, outcomes.toString());
    }

    /** Kinds 0 to 4 change state (add, remove, request, return, swap); 5 and 6 are the queries. */
    static Function<Derms, Result> randomOperation(int kind, Random random) {
        String resourceId = pick(random, RESOURCE_IDS);
        String coordinator = pick(random, COORDINATORS);
        String type = randomType(random);
        int duration = 1 + random.nextInt(12);
        String newResourceId = pick(random, RESOURCE_IDS);
        String newType = randomType(random);
        switch (kind) {
            case 0:
                return derms -> derms.add(resourceId, type, duration);
            case 1:
                return derms -> derms.remove(resourceId, duration);
            case 2:
                return derms -> derms.request(coordinator, resourceId, duration);
            case 3:
                return derms -> derms.giveBack(coordinator, resourceId);
            case 4:
                return derms -> derms.swap(coordinator, resourceId, type, newResourceId, newType);
            case 5:
                return derms -> derms.list("QUER0001", type);
            default:
                return derms -> derms.find(coordinator, type);
        }
    }

    private static String randomType(Random random) {
        String type = pick(random, List.of(ResourceType.values())).name();
        return random.nextBoolean() ? type : type.toLowerCase(Locale.ROOT);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
