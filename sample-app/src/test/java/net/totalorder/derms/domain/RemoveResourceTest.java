package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemoveResourceTest {

    private final Derms derms = new Derms();

    @Test
    void durationBelowRemaining_reducesRemaining() {
        derms.add("QUE2001", "FIRETRUCK", 10);

        assertEquals(Status.SUCCESS, derms.remove("QUE2001", 4).status());
        assertEquals(6, derms.remaining("QUE2001"));
    }

    @Test
    void durationEqualToRemaining_deletesResource() {
        derms.add("QUE2001", "FIRETRUCK", 10);

        assertEquals(Status.SUCCESS, derms.remove("QUE2001", 10).status());
        assertEquals(List.of(), derms.available("FIRETRUCK"));
    }

    @Test
    void durationAboveRemaining_deletesResource() {
        derms.add("QUE2001", "FIRETRUCK", 10);

        assertEquals(Status.SUCCESS, derms.remove("QUE2001", 11).status());
        assertEquals(-1, derms.remaining("QUE2001"));
    }

    @Test
    void fullyBorrowedResource_isDeletedByAnyDuration() {
        derms.add("QUE2001", "FIRETRUCK", 5);
        derms.request(MTL_COORDINATOR, "QUE2001", 5);

        assertEquals(Status.SUCCESS, derms.remove("QUE2001", 1).status());
        assertEquals(List.of(), derms.available("FIRETRUCK"));
    }

    @Test
    void unknownId_failsUnchanged() {
        derms.add("QUE2001", "FIRETRUCK", 10);

        derms.assertFailsUnchanged(() -> derms.remove("QUE2002", 1));
    }

    @Test
    void alreadyDeletedId_failsUnchanged() {
        derms.add("QUE2001", "FIRETRUCK", 10);
        derms.request(MTL_COORDINATOR, "QUE2001", 3);
        derms.remove("QUE2001", 7);

        derms.assertFailsUnchanged(() -> derms.remove("QUE2001", 1));
    }

    @Test
    void deletion_dropsWaitingListAndBorrowersKeepHoldings() {
        derms.add("QUE2001", "FIRETRUCK", 10);
        derms.request(MTL_COORDINATOR, "QUE2001", 6);
        derms.request(QUE_COORDINATOR, "QUE2001", 8);

        derms.remove("QUE2001", 4);

        assertEquals(List.of(entry("QUE2001", ResourceType.FIRETRUCK, 6)), derms.held(MTL_COORDINATOR, "FIRETRUCK"));
        // The dropped waiter is off the list: re-adding the ID and asking again is not "already waiting".
        derms.add("QUE2001", "FIRETRUCK", 8);
        assertEquals(Status.SUCCESS, derms.request(QUE_COORDINATOR, "QUE2001", 8).status());
    }

    @Test
    void deletionWithoutHolders_leavesNoTrace() {
        Derms untouched = new Derms();
        untouched.add("MTL1001", "AMBULANCE", 1);
        derms.add("MTL1001", "AMBULANCE", 1);
        derms.add("QUE2001", "FIRETRUCK", 10);
        derms.request(MTL_COORDINATOR, "QUE2001", 12);

        derms.remove("QUE2001", 10);

        assertEquals(untouched.state.digest(), derms.state.digest());
    }
}
