package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Holdings of a resource that was deleted, and what re-adding its ID does to them. */
class DeletedResourceTest {

    private final Derms derms = new Derms();

    private void deleteWhileMtlCoordinatorHoldsFour() {
        derms.add("QUE1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "QUE1001", 4);
        derms.remove("QUE1001", 6);
    }

    @Test
    void reAddedWithSameType_existsWithNewDurationAndHoldingKept() {
        deleteWhileMtlCoordinatorHoldsFour();

        assertEquals(Status.SUCCESS, derms.add("QUE1001", "AMBULANCE", 5).status());

        assertEquals(List.of(entry("QUE1001", ResourceType.AMBULANCE, 5)), derms.available("AMBULANCE"));
        assertEquals(4, derms.held(MTL_COORDINATOR, "QUE1001", "AMBULANCE"));
    }

    @Test
    void reAddedWithSameType_returnedHoldingGoesBackToIt() {
        deleteWhileMtlCoordinatorHoldsFour();
        derms.add("QUE1001", "AMBULANCE", 5);

        derms.giveBack(MTL_COORDINATOR, "QUE1001");

        assertEquals(9, derms.remaining("QUE1001"));
    }

    @Test
    void reAddedWithSameType_requestAddsToKeptHolding() {
        deleteWhileMtlCoordinatorHoldsFour();
        derms.add("QUE1001", "AMBULANCE", 5);

        derms.request(MTL_COORDINATOR, "QUE1001", 2);

        assertEquals(6, derms.held(MTL_COORDINATOR, "QUE1001", "AMBULANCE"));
    }

    @Test
    void reAddedWithOtherTypeWhileHeld_failsUnchanged() {
        deleteWhileMtlCoordinatorHoldsFour();

        derms.assertFailsUnchanged(() -> derms.add("QUE1001", "FIRETRUCK", 5));
    }

    @Test
    void reAddedWithOtherTypeAfterLastReturn_succeeds() {
        deleteWhileMtlCoordinatorHoldsFour();
        derms.giveBack(MTL_COORDINATOR, "QUE1001");

        assertEquals(Status.SUCCESS, derms.add("QUE1001", "FIRETRUCK", 5).status());
        assertEquals(List.of(entry("QUE1001", ResourceType.FIRETRUCK, 5)), derms.available("FIRETRUCK"));
    }

    @Test
    void returnedBeforeReAdd_durationIsLost() {
        deleteWhileMtlCoordinatorHoldsFour();
        derms.giveBack(MTL_COORDINATOR, "QUE1001");

        derms.add("QUE1001", "AMBULANCE", 5);

        assertEquals(5, derms.remaining("QUE1001"));
    }

    @Test
    void lastOfSeveralHoldersReturning_removesTheDeletedResource() {
        derms.add("QUE1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "QUE1001", 4);
        derms.request(QUE_COORDINATOR, "QUE1001", 4);
        derms.remove("QUE1001", 2);

        derms.giveBack(MTL_COORDINATOR, "QUE1001");
        assertEquals(4, derms.held(QUE_COORDINATOR, "QUE1001", "AMBULANCE"));
        derms.giveBack(QUE_COORDINATOR, "QUE1001");

        assertEquals(new Derms().state.digest(), derms.state.digest());
    }
}
