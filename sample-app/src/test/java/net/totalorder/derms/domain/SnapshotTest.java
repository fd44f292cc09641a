package net.totalorder.derms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Random;
import java.util.function.Function;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import org.junit.jupiter.api.Test;

/**
 * A snapshot of the DERMS state restores the very same state — through JSON-B, as the replication plugin encodes it
 * — and later commands behave alike on the original and on the restored copy; a snapshot does not change with the
 * commands applied after it.
 */
class SnapshotTest {

    @Test
    void aRestoredSnapshot_hasTheSameDigest_andBehavesAlike_afterARandomHistory() throws Exception {
        Random random = new Random(17);
        Derms original = new Derms();
        for (int i = 0; i < 800; i++) {
            ReplicaDeterminismTest.randomOperation(random.nextInt(7), random).apply(original);
        }
        DermsState.Snapshot snapshot = original.state.snapshot();
        String digestAtSnapshot = original.state.digest();
        try (Jsonb jsonb = JsonbBuilder.create()) {
            DermsState.Snapshot travelled = jsonb.fromJson(jsonb.toJson(snapshot), DermsState.Snapshot.class);
            Derms copy = new Derms();
            copy.add("MTL9999", "ambulance", 4);                   // whatever it held before is replaced
            copy.state.restore(travelled);
            assertEquals(digestAtSnapshot, copy.state.digest());
            copy.state.checkIndexes();
            for (int i = 0; i < 800; i++) {
                Function<Derms, Result> operation = ReplicaDeterminismTest.randomOperation(random.nextInt(7), random);
                assertEquals(operation.apply(original), operation.apply(copy), "operation " + i);
            }
            assertEquals(original.state.digest(), copy.state.digest());
            copy.state.checkIndexes();
        }
        Derms fromTheOldSnapshot = new Derms();
        fromTheOldSnapshot.state.restore(snapshot);
        assertEquals(digestAtSnapshot, fromTheOldSnapshot.state.digest(), "later commands changed the snapshot");
        assertNotEquals(digestAtSnapshot, original.state.digest(), "the history after the snapshot changed nothing");
    }
}
