package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.SHE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SwapResourceTest {

    private final Derms derms = new Derms();

    /** MTL_COORDINATOR holds 4 of MTL1001 (AMBULANCE); SHE2001 (FIRETRUCK) has 6 remaining. */
    @BeforeEach
    void holdFourOfAnAmbulance() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.add("SHE2001", "FIRETRUCK", 6);
        derms.request(MTL_COORDINATOR, "MTL1001", 4);
    }

    @Test
    void allChecksPass_borrowsNewForHeldDurationAndReturnsOld() {
        Result result = derms.swap(MTL_COORDINATOR, "MTL1001", "ambulance", "SHE2001", "FireTruck");

        assertEquals(Status.SUCCESS, result.status(), result.message());
        assertNull(result.resources());
        assertEquals(10, derms.remaining("MTL1001"));
        assertEquals(2, derms.remaining("SHE2001"));
        assertEquals(List.of(), derms.held(MTL_COORDINATOR, "AMBULANCE"));
        assertEquals(List.of(entry("SHE2001", ResourceType.FIRETRUCK, 4)), derms.held(MTL_COORDINATOR, "FIRETRUCK"));
    }

    @Test
    void newRemainingEqualToHeld_succeeds() {
        derms.remove("SHE2001", 2);

        assertEquals(Status.SUCCESS, derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK").status());
        assertEquals(0, derms.remaining("SHE2001"));
    }

    @Test
    void sameType_succeeds() {
        derms.add("QUE1001", "AMBULANCE", 4);

        assertEquals(Status.SUCCESS, derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "QUE1001", "AMBULANCE").status());
        assertEquals(List.of(entry("QUE1001", ResourceType.AMBULANCE, 4)), derms.held(MTL_COORDINATOR, "AMBULANCE"));
    }

    @Test
    void oldHeldAfterRepeatedRequests_wholeHoldingIsSwapped() {
        derms.request(MTL_COORDINATOR, "MTL1001", 1);

        derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK");

        assertEquals(5, derms.held(MTL_COORDINATOR, "SHE2001", "FIRETRUCK"));
        assertEquals(1, derms.remaining("SHE2001"));
    }

    @Test
    void newAlreadyPartlyHeld_addsToThatHolding() {
        derms.request(MTL_COORDINATOR, "SHE2001", 1);

        derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK");

        assertEquals(5, derms.held(MTL_COORDINATOR, "SHE2001", "FIRETRUCK"));
        assertEquals(1, derms.remaining("SHE2001"));
    }

    @Test
    void returnedOld_servesItsWaitingListUntilHeadDoesNotFit() {
        derms.request(SHE_COORDINATOR, "MTL1001", 6);
        derms.request(QUE_COORDINATOR, "MTL1001", 3);
        derms.request("MTLC4444", "MTL1001", 2);

        derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK");

        assertEquals(3, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(0, derms.held("MTLC4444", "MTL1001", "AMBULANCE"));
        assertEquals(1, derms.remaining("MTL1001"));
    }

    @Test
    void oldNotHeld_failsUnchanged() {
        derms.add("MTL1002", "AMBULANCE", 4);

        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1002", "AMBULANCE", "SHE2001", "FIRETRUCK"));
        derms.assertFailsUnchanged(() -> derms.swap(QUE_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK"));
        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL9999", "AMBULANCE", "SHE2001", "FIRETRUCK"));
    }

    @Test
    void oldOnlyWaitedFor_failsUnchanged() {
        derms.request(QUE_COORDINATOR, "MTL1001", 7);

        derms.assertFailsUnchanged(() -> derms.swap(QUE_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK"));
    }

    @Test
    void oldOfOtherType_failsUnchanged() {
        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1001", "PERSONNEL", "SHE2001", "FIRETRUCK"));
    }

    @Test
    void newUnknown_failsUnchanged() {
        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2002", "FIRETRUCK"));
    }

    @Test
    void newDeletedButStillHeld_failsUnchanged() {
        derms.request(QUE_COORDINATOR, "SHE2001", 1);
        derms.remove("SHE2001", 5);

        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK"));
    }

    @Test
    void newOfOtherType_failsUnchanged() {
        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "AMBULANCE"));
    }

    @Test
    void newRemainingBelowHeld_failsUnchangedAndJoinsNoWaitingList() {
        derms.remove("SHE2001", 3);

        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK"));
        // Not on the waiting list: a request that does not fit is waitlisted rather than "already waiting".
        assertEquals(Status.WAITLISTED, derms.request(MTL_COORDINATOR, "SHE2001", 4).status());
    }

    @Test
    void oldSameAsNew_failsUnchanged() {
        derms.assertFailsUnchanged(() -> derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "MTL1001", "AMBULANCE"));
    }

    @Test
    void oldDeletedButHeld_swapsAndDiscardsOldDuration() {
        derms.remove("MTL1001", 6);

        assertEquals(Status.SUCCESS, derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK").status());

        assertEquals(List.of(), derms.held(MTL_COORDINATOR, "AMBULANCE"));
        assertEquals(4, derms.held(MTL_COORDINATOR, "SHE2001", "FIRETRUCK"));
        assertEquals(List.of(), derms.available("AMBULANCE"));
    }

    @Test
    void coordinatorWaitingForNew_staysOnItsWaitingList() {
        derms.request(MTL_COORDINATOR, "SHE2001", 9);

        derms.swap(MTL_COORDINATOR, "MTL1001", "AMBULANCE", "SHE2001", "FIRETRUCK");

        assertEquals(4, derms.held(MTL_COORDINATOR, "SHE2001", "FIRETRUCK"));
        derms.assertFailsUnchanged(() -> derms.request(MTL_COORDINATOR, "SHE2001", 1));
    }
}
