package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.SHE_COORDINATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReturnResourceTest {

    private static final String FOURTH_COORDINATOR = "MTLC4444";

    private final Derms derms = new Derms();

    @Test
    void notHeld_failsUnchanged() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(QUE_COORDINATOR, "MTL1001", 3);

        derms.assertFailsUnchanged(() -> derms.giveBack(MTL_COORDINATOR, "MTL1001"));
    }

    @Test
    void unknownId_failsUnchanged() {
        derms.assertFailsUnchanged(() -> derms.giveBack(MTL_COORDINATOR, "MTL1001"));
    }

    @Test
    void onlyWaiting_failsUnchanged() {
        derms.add("MTL1001", "AMBULANCE", 1);
        derms.request(MTL_COORDINATOR, "MTL1001", 3);

        derms.assertFailsUnchanged(() -> derms.giveBack(MTL_COORDINATOR, "MTL1001"));
    }

    @Test
    void held_wholeDurationGoesBack() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "MTL1001", 3);
        derms.request(MTL_COORDINATOR, "MTL1001", 4);

        Result result = derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(Status.SUCCESS, result.status());
        assertNull(result.resources());
        assertEquals(10, derms.remaining("MTL1001"));
        assertEquals(List.of(), derms.held(MTL_COORDINATOR, "AMBULANCE"));
    }

    @Test
    void returnedTwice_secondFailsUnchanged() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "MTL1001", 3);
        derms.giveBack(MTL_COORDINATOR, "MTL1001");

        derms.assertFailsUnchanged(() -> derms.giveBack(MTL_COORDINATOR, "MTL1001"));
    }

    @Test
    void otherHolders_keepTheirParts() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "MTL1001", 3);
        derms.request(QUE_COORDINATOR, "MTL1001", 5);

        derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(5, derms.remaining("MTL1001"));
        assertEquals(5, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
    }

    @Test
    void waitingList_isServedInFifoOrderWhileHeadFits() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "MTL1001", 10);
        derms.request(QUE_COORDINATOR, "MTL1001", 3);
        derms.request(SHE_COORDINATOR, "MTL1001", 6);
        derms.request(FOURTH_COORDINATOR, "MTL1001", 2);

        assertEquals(Status.SUCCESS, derms.giveBack(MTL_COORDINATOR, "MTL1001").status());

        assertEquals(3, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(6, derms.held(SHE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(0, derms.held(FOURTH_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(1, derms.remaining("MTL1001"));
        // The fourth is still waiting, hence asking again fails.
        derms.assertFailsUnchanged(() -> derms.request(FOURTH_COORDINATOR, "MTL1001", 1));
    }

    @Test
    void headThatDoesNotFit_stopsServingEvenIfLaterOnesWouldFit() {
        derms.add("MTL1001", "AMBULANCE", 5);
        derms.request(MTL_COORDINATOR, "MTL1001", 5);
        derms.request(QUE_COORDINATOR, "MTL1001", 8);
        derms.request(SHE_COORDINATOR, "MTL1001", 1);

        derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(5, derms.remaining("MTL1001"));
        assertEquals(0, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(0, derms.held(SHE_COORDINATOR, "MTL1001", "AMBULANCE"));
    }

    @Test
    void servingStopsAtFirstNotFitting_afterGrantingEarlierOnes() {
        derms.add("MTL1001", "AMBULANCE", 6);
        derms.request(MTL_COORDINATOR, "MTL1001", 6);
        derms.request(QUE_COORDINATOR, "MTL1001", 4);
        derms.request(SHE_COORDINATOR, "MTL1001", 3);
        derms.request(FOURTH_COORDINATOR, "MTL1001", 1);

        derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(4, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(0, derms.held(SHE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(0, derms.held(FOURTH_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(2, derms.remaining("MTL1001"));
    }

    @Test
    void servedWaiterAlreadyHolding_addsToHolding() {
        derms.add("MTL1001", "AMBULANCE", 6);
        derms.request(QUE_COORDINATOR, "MTL1001", 2);
        derms.request(MTL_COORDINATOR, "MTL1001", 4);
        derms.request(QUE_COORDINATOR, "MTL1001", 3);

        derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(5, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(1, derms.remaining("MTL1001"));
    }

    @Test
    void heldOfDeletedResource_isSuccessAndDiscardsDuration() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "MTL1001", 4);
        derms.remove("MTL1001", 6);

        Result result = derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(Status.SUCCESS, result.status());
        assertEquals(List.of(), derms.held(MTL_COORDINATOR, "AMBULANCE"));
        assertEquals(-1, derms.remaining("MTL1001"));
        assertEquals(new Derms().state.digest(), derms.state.digest());
    }

    @Test
    void returnedSumBeyondIntRange_saturatesAtMaxValue() {
        derms.add("MTL1001", "AMBULANCE", Integer.MAX_VALUE);
        derms.request(MTL_COORDINATOR, "MTL1001", Integer.MAX_VALUE);
        derms.add("MTL1001", "AMBULANCE", 10);

        derms.giveBack(MTL_COORDINATOR, "MTL1001");

        assertEquals(Integer.MAX_VALUE, derms.remaining("MTL1001"));
    }
}
