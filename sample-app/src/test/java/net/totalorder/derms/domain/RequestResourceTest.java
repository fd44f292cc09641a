package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.SHE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestResourceTest {

    private final Derms derms = new Derms();

    @Test
    void unknownId_failsUnchanged() {
        derms.add("SHE3001", "PERSONNEL", 5);

        derms.assertFailsUnchanged(() -> derms.request(MTL_COORDINATOR, "SHE3002", 1));
    }

    @Test
    void durationWithinRemaining_isGrantedAndHeld() {
        derms.add("SHE3001", "PERSONNEL", 5);

        Result result = derms.request(MTL_COORDINATOR, "SHE3001", 3);

        assertEquals(Status.SUCCESS, result.status());
        assertNull(result.resources());
        assertEquals(2, derms.remaining("SHE3001"));
        assertEquals(List.of(entry("SHE3001", ResourceType.PERSONNEL, 3)), derms.held(MTL_COORDINATOR, "PERSONNEL"));
    }

    @Test
    void durationEqualToRemaining_isGrantedLeavingZero() {
        derms.add("SHE3001", "PERSONNEL", 5);

        assertEquals(Status.SUCCESS, derms.request(MTL_COORDINATOR, "SHE3001", 5).status());
        assertEquals(0, derms.remaining("SHE3001"));
    }

    @Test
    void severalCoordinators_holdPartsOfOneResource() {
        derms.add("SHE3001", "PERSONNEL", 10);

        derms.request(MTL_COORDINATOR, "SHE3001", 3);
        derms.request(QUE_COORDINATOR, "SHE3001", 4);
        derms.request(SHE_COORDINATOR, "SHE3001", 2);

        assertEquals(1, derms.remaining("SHE3001"));
        assertEquals(3, derms.held(MTL_COORDINATOR, "SHE3001", "PERSONNEL"));
        assertEquals(4, derms.held(QUE_COORDINATOR, "SHE3001", "PERSONNEL"));
        assertEquals(2, derms.held(SHE_COORDINATOR, "SHE3001", "PERSONNEL"));
    }

    @Test
    void durationAboveRemaining_isWaitlistedAndChangesNothingElse() {
        derms.add("SHE3001", "PERSONNEL", 5);
        String before = derms.state.digest();

        Result result = derms.request(MTL_COORDINATOR, "SHE3001", 6);

        assertEquals(Status.WAITLISTED, result.status());
        assertNull(result.resources());
        assertEquals(5, derms.remaining("SHE3001"));
        assertEquals(List.of(), derms.held(MTL_COORDINATOR, "PERSONNEL"));
        assertNotEquals(before, derms.state.digest());
    }

    @Test
    void askingAgainWhileWaiting_failsUnchanged() {
        derms.add("SHE3001", "PERSONNEL", 5);
        derms.request(MTL_COORDINATOR, "SHE3001", 6);

        derms.assertFailsUnchanged(() -> derms.request(MTL_COORDINATOR, "SHE3001", 7));
    }

    @Test
    void askingAgainWhileWaitingForAFittingDuration_failsUnchanged() {
        derms.add("SHE3001", "PERSONNEL", 5);
        derms.request(MTL_COORDINATOR, "SHE3001", 6);

        derms.assertFailsUnchanged(() -> derms.request(MTL_COORDINATOR, "SHE3001", 1));
    }

    @Test
    void waitingForOneResource_doesNotBlockRequestsForAnother() {
        derms.add("SHE3001", "PERSONNEL", 5);
        derms.add("SHE3002", "PERSONNEL", 5);
        derms.request(MTL_COORDINATOR, "SHE3001", 6);

        assertEquals(Status.SUCCESS, derms.request(MTL_COORDINATOR, "SHE3002", 5).status());
        assertEquals(Status.WAITLISTED, derms.request(MTL_COORDINATOR, "SHE3002", 1).status());
    }

    @Test
    void fittingRequestWhileOthersWait_isGranted() {
        derms.add("SHE3001", "PERSONNEL", 5);
        derms.request(MTL_COORDINATOR, "SHE3001", 6);

        assertEquals(Status.SUCCESS, derms.request(QUE_COORDINATOR, "SHE3001", 4).status());
        assertEquals(1, derms.remaining("SHE3001"));
    }

    @Test
    void repeatedRequestByHolderThatFits_addsToHolding() {
        derms.add("SHE3001", "PERSONNEL", 10);
        derms.request(MTL_COORDINATOR, "SHE3001", 3);

        assertEquals(Status.SUCCESS, derms.request(MTL_COORDINATOR, "SHE3001", 4).status());
        assertEquals(List.of(entry("SHE3001", ResourceType.PERSONNEL, 7)), derms.held(MTL_COORDINATOR, "PERSONNEL"));
        assertEquals(3, derms.remaining("SHE3001"));
    }

    @Test
    void repeatedRequestByHolderThatDoesNotFit_isWaitlistedKeepingHolding() {
        derms.add("SHE3001", "PERSONNEL", 10);
        derms.request(MTL_COORDINATOR, "SHE3001", 8);

        assertEquals(Status.WAITLISTED, derms.request(MTL_COORDINATOR, "SHE3001", 5).status());
        assertEquals(8, derms.held(MTL_COORDINATOR, "SHE3001", "PERSONNEL"));
    }

    @Test
    void waitingCoordinatorServedLater_mayAskAgain() {
        derms.add("SHE3001", "PERSONNEL", 4);
        derms.request(QUE_COORDINATOR, "SHE3001", 4);
        derms.request(MTL_COORDINATOR, "SHE3001", 3);
        derms.giveBack(QUE_COORDINATOR, "SHE3001");

        assertEquals(Status.WAITLISTED, derms.request(MTL_COORDINATOR, "SHE3001", 3).status());
    }

    @Test
    void deletedResourceStillHeld_cannotBeRequested() {
        derms.add("SHE3001", "PERSONNEL", 4);
        derms.request(QUE_COORDINATOR, "SHE3001", 1);
        derms.remove("SHE3001", 3);

        derms.assertFailsUnchanged(() -> derms.request(MTL_COORDINATOR, "SHE3001", 1));
    }

    @Test
    void heldDurationsBeyondIntRange_saturateAtMaxValue() {
        derms.add("SHE3001", "PERSONNEL", Integer.MAX_VALUE);
        derms.request(MTL_COORDINATOR, "SHE3001", Integer.MAX_VALUE);
        derms.add("SHE3001", "PERSONNEL", 10);

        derms.request(MTL_COORDINATOR, "SHE3001", 10);

        assertEquals(Integer.MAX_VALUE, derms.held(MTL_COORDINATOR, "SHE3001", "PERSONNEL"));
    }
}
