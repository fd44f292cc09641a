package net.totalorder.derms.domain;

import static net.totalorder.derms.domain.Derms.MTL_COORDINATOR;
import static net.totalorder.derms.domain.Derms.SHE_RESPONDER;
import static net.totalorder.derms.domain.Derms.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListResourceAvailabilityTest {

    private final Derms derms = new Derms();

    @Test
    void resourcesOfAllCities_areListedByIdWithRemainingIncludingZero() {
        derms.add("SHE0001", "PERSONNEL", 4);
        derms.add("MTL9999", "PERSONNEL", 7);
        derms.add("QUE5000", "PERSONNEL", 2);
        derms.add("MTL0001", "PERSONNEL", 3);
        derms.add("MTL0002", "AMBULANCE", 3);
        derms.request(MTL_COORDINATOR, "QUE5000", 2);

        Result result = derms.list(SHE_RESPONDER, "personnel");

        assertEquals(Status.SUCCESS, result.status());
        assertEquals(List.of(
                entry("MTL0001", ResourceType.PERSONNEL, 3),
                entry("MTL9999", ResourceType.PERSONNEL, 7),
                entry("QUE5000", ResourceType.PERSONNEL, 0),
                entry("SHE0001", ResourceType.PERSONNEL, 4)), result.resources());
    }

    @Test
    void noResourceOfType_isSuccessWithEmptyList() {
        derms.add("MTL0002", "AMBULANCE", 3);

        Result result = derms.list(SHE_RESPONDER, "FIRETRUCK");

        assertEquals(Status.SUCCESS, result.status());
        assertEquals(List.of(), result.resources());
    }

    @Test
    void deletedResourceStillHeld_isNotListed() {
        derms.add("MTL0002", "AMBULANCE", 3);
        derms.request(MTL_COORDINATOR, "MTL0002", 1);
        derms.remove("MTL0002", 2);

        assertEquals(List.of(), derms.available("AMBULANCE"));
    }

    @Test
    void listing_changesNothing() {
        derms.add("MTL0002", "AMBULANCE", 3);
        String before = derms.state.digest();

        derms.list(SHE_RESPONDER, "AMBULANCE");

        assertEquals(before, derms.state.digest());
    }
}
