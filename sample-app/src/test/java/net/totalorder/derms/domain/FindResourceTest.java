package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.QUE_COORDINATOR;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FindResourceTest {

    private final Derms derms = new Derms();

    @Test
    void holdingsOfType_areListedByIdWithHeldDuration() {
        derms.add("SHE0001", "AMBULANCE", 10);
        derms.add("MTL0005", "AMBULANCE", 10);
        derms.add("QUE0003", "AMBULANCE", 10);
        derms.add("MTL0004", "FIRETRUCK", 10);
        derms.request(MTL_COORDINATOR, "SHE0001", 1);
        derms.request(MTL_COORDINATOR, "MTL0005", 2);
        derms.request(MTL_COORDINATOR, "MTL0004", 3);
        derms.request(QUE_COORDINATOR, "QUE0003", 4);

        Result result = derms.find(MTL_COORDINATOR, "ambulance");

        assertEquals(Status.SUCCESS, result.status());
        assertEquals(List.of(entry("MTL0005", ResourceType.AMBULANCE, 2), entry("SHE0001", ResourceType.AMBULANCE, 1)),
                result.resources());
    }

    @Test
    void nothingHeld_isSuccessWithEmptyList() {
        derms.add("SHE0001", "AMBULANCE", 10);
        derms.request(QUE_COORDINATOR, "SHE0001", 1);

        Result result = derms.find(MTL_COORDINATOR, "AMBULANCE");

        assertEquals(Status.SUCCESS, result.status());
        assertEquals(List.of(), result.resources());
    }

    @Test
    void waitingRequests_areNotHoldings() {
        derms.add("SHE0001", "AMBULANCE", 1);
        derms.request(MTL_COORDINATOR, "SHE0001", 2);

        assertEquals(List.of(), derms.held(MTL_COORDINATOR, "AMBULANCE"));
    }

    @Test
    void holdingOfDeletedResource_isStillFound() {
        derms.add("SHE0001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "SHE0001", 4);
        derms.remove("SHE0001", 6);

        assertEquals(List.of(entry("SHE0001", ResourceType.AMBULANCE, 4)), derms.held(MTL_COORDINATOR, "AMBULANCE"));
    }

    @Test
    void finding_changesNothing() {
        derms.add("SHE0001", "AMBULANCE", 10);
        derms.request(MTL_COORDINATOR, "SHE0001", 4);
        String before = derms.state.digest();

        derms.find(MTL_COORDINATOR, "AMBULANCE");

        assertEquals(before, derms.state.digest());
    }
}
