package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.MTL_RESPONDER;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddResourceTest {

    private final Derms derms = new Derms();

    @Test
    void newId_isCreatedWithDuration() {
        Result result = derms.add(MTL_RESPONDER, "MTL1001", "ambulance", 10);

        assertEquals(Status.SUCCESS, result.status());
        assertNull(result.resources());
        assertEquals(List.of(entry("MTL1001", ResourceType.AMBULANCE, 10)), derms.available("AMBULANCE"));
    }

    @Test
    void existingIdSameTypeLongerDuration_raisesRemainingToDuration() {
        derms.add("MTL1001", "AMBULANCE", 10);

        assertEquals(Status.SUCCESS, derms.add("MTL1001", "Ambulance", 15).status());
        assertEquals(15, derms.remaining("MTL1001"));
    }

    @Test
    void existingIdSameTypeEqualDuration_failsUnchanged() {
        derms.add("MTL1001", "AMBULANCE", 10);

        derms.assertFailsUnchanged(() -> derms.add("MTL1001", "AMBULANCE", 10));
        assertEquals(10, derms.remaining("MTL1001"));
    }

    @Test
    void existingIdSameTypeShorterDuration_failsUnchanged() {
        derms.add("MTL1001", "AMBULANCE", 10);

        derms.assertFailsUnchanged(() -> derms.add("MTL1001", "AMBULANCE", 3));
        assertEquals(10, derms.remaining("MTL1001"));
    }

    @Test
    void existingIdComparedWithRemainingNotOriginalDuration_raisesWhenAboveRemaining() {
        derms.add("MTL1001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "MTL1001", 8);

        assertEquals(Status.SUCCESS, derms.add("MTL1001", "AMBULANCE", 5).status());
        assertEquals(5, derms.remaining("MTL1001"));
        assertEquals(8, derms.held(MTL_COORDINATOR, "MTL1001", "AMBULANCE"));
    }

    @Test
    void existingIdOtherType_failsUnchanged() {
        derms.add("MTL1001", "AMBULANCE", 10);

        derms.assertFailsUnchanged(() -> derms.add("MTL1001", "FIRETRUCK", 20));
        assertEquals(List.of(), derms.available("FIRETRUCK"));
    }

    @Test
    void raisingRemaining_servesWaitingListInFifoOrder() {
        derms.add("MTL1001", "AMBULANCE", 2);
        derms.request(MTL_COORDINATOR, "MTL1001", 5);
        derms.request(QUE_COORDINATOR, "MTL1001", 4);

        Result result = derms.add("MTL1001", "AMBULANCE", 9);

        assertEquals(Status.SUCCESS, result.status(), result.message());
        assertEquals(5, derms.held(MTL_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(4, derms.held(QUE_COORDINATOR, "MTL1001", "AMBULANCE"));
        assertEquals(0, derms.remaining("MTL1001"));
    }

    @Test
    void sameIdNumberInEachCity_areThreeResources() {
        derms.add("MTL1001", "AMBULANCE", 1);
        derms.add("QUE1001", "AMBULANCE", 2);
        derms.add("SHE1001", "AMBULANCE", 3);

        assertEquals(List.of(entry("MTL1001", ResourceType.AMBULANCE, 1), entry("QUE1001", ResourceType.AMBULANCE, 2),
                entry("SHE1001", ResourceType.AMBULANCE, 3)), derms.available("AMBULANCE"));
    }
}
