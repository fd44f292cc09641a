package net.totalorder.it.history;

import static net.totalorder.it.history.Histories.listed;
import static net.totalorder.it.history.Histories.op;
import static net.totalorder.it.history.Histories.setup;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HistoryDecompositionTest {

    private static final List<DermsCall> THREE_AMBULANCES_AND_A_FIRETRUCK = setup(
            "addResource MTLR1111 MTL1001 AMBULANCE 10",
            "addResource MTLR1111 MTL1002 AMBULANCE 10",
            "addResource MTLR1111 MTL1003 AMBULANCE 10",
            "addResource MTLR1111 MTL1004 FIRETRUCK 10",
            "requestResource QUEC1111 MTL1002 3");

    /** Each part as the set of its operations. */
    private static Set<Set<Operation>> partsOf(List<Operation> history) {
        return split(history).stream().map(part -> Set.copyOf(part.operations())).collect(Collectors.toSet());
    }

    private static List<HistoryDecomposition.Part> split(List<Operation> history) {
        return HistoryDecomposition.split(SequentialDerms.after(THREE_AMBULANCES_AND_A_FIRETRUCK), history);
    }

    @Test
    void operationsOnDifferentResources_areSeparateParts() {
        Operation first = op("c1", 0, 10, "requestResource QUEC2222 MTL1001 1", "SUCCESS");
        Operation second = op("c2", 0, 10, "requestResource SHEC3333 MTL1003 1", "SUCCESS");

        List<HistoryDecomposition.Part> parts = split(List.of(first, second));

        assertEquals(Set.of(Set.of(first), Set.of(second)), parts.stream()
                .map(part -> Set.copyOf(part.operations())).collect(Collectors.toSet()));
        // Each part starts from the initial state of its own resources only.
        assertEquals("derms-state 1\nresource MTL1001 AMBULANCE 10\n", parts.get(0).initialState().canonicalText());
    }

    @Test
    void listing_joinsEveryResourceThatCanHaveItsType() {
        Operation listing = listed("c1", 0, 10, "listResourceAvailability MTLR1111 AMBULANCE");
        Operation onAmbulance = op("c2", 0, 10, "requestResource SHEC3333 MTL1001 1", "SUCCESS");
        Operation onFiretruck = op("c3", 0, 10, "requestResource SHEC3333 MTL1004 1", "SUCCESS");
        Operation addsAmbulance = op("c4", 0, 10, "addResource MTLR1111 MTL1005 AMBULANCE 5", "SUCCESS");

        assertEquals(Set.of(Set.of(listing, onAmbulance, addsAmbulance), Set.of(onFiretruck)),
                partsOf(List.of(listing, onAmbulance, onFiretruck, addsAmbulance)));
    }

    @Test
    void resourceReaddedWithAnotherType_joinsTheListingsOfBothTypes() {
        Operation listing = listed("c1", 0, 10, "listResourceAvailability MTLR1111 AMBULANCE");
        Operation removesFiretruck = op("c2", 0, 10, "removeResource MTLR1111 MTL1004 10", "SUCCESS");
        Operation readdsAsAmbulance = op("c2", 20, 30, "addResource MTLR1111 MTL1004 AMBULANCE 5", "SUCCESS");

        assertEquals(Set.of(Set.of(listing, removesFiretruck, readdsAsAmbulance)),
                partsOf(List.of(listing, removesFiretruck, readdsAsAmbulance)));
    }

    @Test
    void find_joinsTheResourcesItsCoordinatorCanHoldOfItsType() {
        Operation find = listed("c1", 0, 10, "findResource QUEC1111 AMBULANCE", "MTL1002 AMBULANCE 3");
        Operation requested = op("c1", 20, 30, "requestResource QUEC1111 MTL1003 1", "SUCCESS");
        Operation heldInitially = op("c2", 0, 10, "removeResource MTLR1111 MTL1002 1", "SUCCESS");
        Operation someoneElses = op("c3", 0, 10, "requestResource SHEC3333 MTL1001 1", "SUCCESS");
        Operation otherType = op("c1", 0, 10, "requestResource QUEC1111 MTL1004 1", "SUCCESS");

        assertEquals(Set.of(Set.of(find, requested, heldInitially), Set.of(someoneElses), Set.of(otherType)),
                partsOf(List.of(find, requested, heldInitially, someoneElses, otherType)));
    }

    @Test
    void swap_joinsItsTwoResourcesAndMakesTheNewOneHoldable() {
        Operation find = listed("c1", 20, 30, "findResource SHEC3333 AMBULANCE");
        Operation swap = op("c1", 0, 10, "swapResource SHEC3333 MTL1001 AMBULANCE MTL1003 AMBULANCE", "FAILURE");
        Operation onOld = op("c2", 0, 10, "requestResource QUEC2222 MTL1001 1", "SUCCESS");

        assertEquals(Set.of(Set.of(find, swap, onOld)), partsOf(List.of(find, swap, onOld)));
    }

    @Test
    void findOfACoordinatorWhoCanHoldNothing_isAPartOfItsOwn() {
        Operation find = listed("c1", 0, 10, "findResource SHEC3333 FIRETRUCK");
        Operation other = op("c2", 0, 10, "requestResource QUEC2222 MTL1004 1", "SUCCESS");

        assertEquals(Set.of(Set.of(find), Set.of(other)), partsOf(List.of(find, other)));
    }
}
