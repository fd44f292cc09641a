package net.totalorder.it.history;

import static net.totalorder.it.history.Histories.listed;
import static net.totalorder.it.history.Histories.op;
import static net.totalorder.it.history.Histories.setup;
import static net.totalorder.it.history.Histories.unknown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    private static final List<DermsCall> ONE_AMBULANCE_OF_10 = setup("addResource MTLR1111 MTL1001 AMBULANCE 10");

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    private static List<Operation> sequentialHistory(String lastListing) {
        return List.of(
                op("c1", 0, 1, "addResource MTLR1111 MTL1001 AMBULANCE 10", "SUCCESS"),
                op("c1", 2, 3, "requestResource QUEC1111 MTL1001 6", "SUCCESS"),
                op("c2", 4, 5, "requestResource QUEC2222 MTL1001 6", "WAITLISTED"),
                op("c2", 6, 7, "requestResource QUEC2222 MTL1001 2", "FAILURE"),
                listed("c1", 8, 9, "findResource QUEC1111 ambulance", "MTL1001 AMBULANCE 6"),
                op("c1", 10, 11, "returnResource QUEC1111 MTL1001", "SUCCESS"),
                listed("c3", 12, 13, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4"),
                listed("c2", 14, 15, "findResource QUEC2222 AMBULANCE", "MTL1001 AMBULANCE 6"),
                op("c1", 16, 17, "addResource MTLR1111 MTL1002 AMBULANCE 8", "SUCCESS"),
                op("c2", 18, 19, "swapResource QUEC2222 MTL1001 AMBULANCE MTL1002 AMBULANCE", "SUCCESS"),
                listed("c3", 20, 21, "listResourceAvailability MTLR1111 AMBULANCE",
                        "MTL1001 AMBULANCE 10", "MTL1002 AMBULANCE 2"),
                op("c1", 22, 23, "removeResource MTLR1111 MTL1002 5", "SUCCESS"),
                listed("c2", 24, 25, "findResource QUEC2222 AMBULANCE", "MTL1002 AMBULANCE 6"),
                listed("c3", 26, 27, "listResourceAvailability MTLR1111 AMBULANCE", lastListing));
    }

    @Test
    void sequentialHistory_isLinearizable() {
        CheckResult.Linearizable result = checker.assertLinearizable(List.of(),
                sequentialHistory("MTL1001 AMBULANCE 10"));

        assertEquals(14, result.operations());
    }

    @Test
    void sequentialHistoryWithOneWrongOutcome_isViolation() {
        // MTL1002 was deleted (its holder keeps it), so a listing must not show it.
        CheckResult result = checker.check(List.of(), sequentialHistory("MTL1002 AMBULANCE 0"));

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        assertTrue(violation.minimalSubHistory().stream()
                .anyMatch(operation -> operation.invokeNanos() == Histories.ms(26)), violation.report());
    }

    @Test
    void overlappingRequests_linearizedAgainstInvocationOrder_isLinearizable() {
        List<Operation> history = List.of(
                op("c1", 0, 100, "requestResource QUEC1111 MTL1001 6", "WAITLISTED"),
                op("c2", 10, 50, "requestResource QUEC2222 MTL1001 6", "SUCCESS"),
                listed("c3", 20, 30, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4"),
                listed("c3", 60, 70, "findResource QUEC2222 AMBULANCE", "MTL1001 AMBULANCE 6"),
                listed("c4", 60, 70, "findResource QUEC1111 AMBULANCE"));

        assertEquals(5, checker.assertLinearizable(ONE_AMBULANCE_OF_10, history).operations());
    }

    @Test
    void readsOverlappingAWrite_seeingOldThenNew_isLinearizable() {
        List<Operation> history = List.of(
                op("c1", 0, 100, "requestResource QUEC1111 MTL1001 6", "SUCCESS"),
                listed("c2", 10, 20, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 10"),
                listed("c3", 30, 40, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4"),
                listed("c2", 50, 60, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4"));

        assertEquals(4, checker.assertLinearizable(ONE_AMBULANCE_OF_10, history).operations());
    }

    @Test
    void readsOverlappingAWrite_seeingNewThenOld_isViolation() {
        Operation write = op("c1", 0, 100, "requestResource QUEC1111 MTL1001 6", "SUCCESS");
        Operation sawNew = listed("c3", 10, 20, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4");
        Operation sawOld = listed("c2", 30, 40, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 10");

        CheckResult result = checker.check(ONE_AMBULANCE_OF_10, List.of(write, sawNew, sawOld));

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        assertEquals(List.of(write, sawNew, sawOld), violation.minimalSubHistory(), violation.report());
    }

    @Test
    void twoGrantsExceedingTheRemainingDuration_nonOverlapping_isViolationOfJustThoseTwo() {
        Operation first = op("c1", 0, 10, "requestResource QUEC1111 MTL1001 6", "SUCCESS");
        Operation second = op("c2", 20, 30, "requestResource QUEC2222 MTL1001 6", "SUCCESS");
        List<Operation> history = List.of(
                first,
                listed("c3", 5, 25, "findResource SHEC3333 AMBULANCE"),
                second,
                op("c3", 26, 40, "requestResource SHEC3333 MTL1002 3", "SUCCESS"),
                op("c1", 40, 50, "returnResource QUEC1111 MTL1001", "SUCCESS"),
                op("c2", 41, 51, "requestResource QUEC2222 MTL1001 1", "SUCCESS"),
                listed("c4", 60, 70, "listResourceAvailability MTLR1111 AMBULANCE",
                        "MTL1001 AMBULANCE 3", "MTL1002 AMBULANCE 7"));

        CheckResult result = checker.check(setup("addResource MTLR1111 MTL1001 AMBULANCE 10",
                "addResource MTLR1111 MTL1002 AMBULANCE 10"), history);

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        System.out.println(violation.report());
        assertEquals(List.of(first, second), violation.minimalSubHistory(), violation.report());
        assertEquals(CheckResult.Certification.CERTIFIED, violation.certification(), violation.report());
        assertTrue(violation.report().contains("requestResource(QUEC2222, MTL1001, 6)"), violation.report());
    }

    @Test
    void readObservingAWriteInvokedAfterTheReadResponded_isViolationOfTheReadAlone() {
        Operation read = listed("c1", 0, 10, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4");
        Operation write = op("c2", 20, 30, "requestResource QUEC1111 MTL1001 6", "SUCCESS");

        CheckResult result = checker.check(ONE_AMBULANCE_OF_10, List.of(read, write));

        // Cut at the read's response: nothing invoked by then explains it, so the later write is not needed.
        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        assertEquals(List.of(read), violation.minimalSubHistory(), violation.report());
    }

    @Test
    void staleFindMissingAGrantThatRespondedBeforeIt_isViolationOfJustThoseTwo() {
        Operation grant = op("c1", 0, 10, "requestResource QUEC1111 MTL1001 5", "SUCCESS");
        Operation staleFind = listed("c2", 20, 30, "findResource QUEC1111 AMBULANCE");
        List<Operation> history = List.of(
                grant,
                op("c3", 5, 15, "requestResource QUEC2222 MTL1001 2", "SUCCESS"),
                staleFind,
                listed("c1", 40, 50, "findResource QUEC1111 AMBULANCE", "MTL1001 AMBULANCE 5"),
                op("c3", 45, 55, "returnResource QUEC2222 MTL1001", "SUCCESS"));

        CheckResult result = checker.check(ONE_AMBULANCE_OF_10, history);

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        System.out.println(violation.report());
        assertEquals(List.of(grant, staleFind), violation.minimalSubHistory(), violation.report());
        assertEquals(CheckResult.Certification.CERTIFIED, violation.certification(), violation.report());
    }

    @Test
    void staleFindOfAResourceAddedInTheHistory_keepsTheAddThatExplainsTheGrant() {
        Operation add = op("c0", 0, 1, "addResource MTLR1111 MTL1001 AMBULANCE 10", "SUCCESS");
        Operation grant = op("c1", 2, 10, "requestResource QUEC1111 MTL1001 5", "SUCCESS");
        Operation staleFind = listed("c2", 20, 30, "findResource QUEC1111 AMBULANCE");

        CheckResult result = checker.check(List.of(), List.of(add, grant, staleFind));

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        System.out.println(violation.report());
        // Deleting the add would make the grant inexplicable before the find responds, so it stays.
        assertEquals(List.of(add, grant, staleFind), violation.minimalSubHistory(), violation.report());
    }

    @Test
    void unknownRequestThatTookEffect_isLinearizable() {
        List<Operation> history = List.of(
                unknown("c1", 0, 50, "requestResource QUEC1111 MTL1001 6"),
                listed("c2", 100, 110, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4"),
                listed("c3", 120, 130, "findResource QUEC1111 AMBULANCE", "MTL1001 AMBULANCE 6"));

        assertEquals(3, checker.assertLinearizable(ONE_AMBULANCE_OF_10, history).operations());
    }

    @Test
    void unknownRequestThatDidNotTakeEffect_isLinearizable() {
        List<Operation> history = List.of(
                unknown("c1", 0, 50, "requestResource QUEC1111 MTL1001 6"),
                listed("c2", 100, 110, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 10"),
                listed("c3", 120, 130, "findResource QUEC1111 AMBULANCE"));

        assertEquals(3, checker.assertLinearizable(ONE_AMBULANCE_OF_10, history).operations());
    }

    @Test
    void unknownRequestTakingEffectAfterTheClientGaveUp_isLinearizable() {
        List<Operation> history = List.of(
                unknown("c1", 0, 50, "requestResource QUEC1111 MTL1001 6"),
                listed("c2", 100, 110, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 10"),
                listed("c2", 200, 210, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4"));

        assertEquals(3, checker.assertLinearizable(ONE_AMBULANCE_OF_10, history).operations());
    }

    @Test
    void unknownRequestTakingEffectBeforeItsInvocation_isViolation() {
        Operation read = listed("c2", 0, 20, "listResourceAvailability MTLR1111 AMBULANCE", "MTL1001 AMBULANCE 4");
        Operation lateRequest = unknown("c1", 15, 50, "requestResource QUEC1111 MTL1001 5");

        CheckResult result = checker.check(ONE_AMBULANCE_OF_10, List.of(read, lateRequest));

        CheckResult.Violation violation = assertInstanceOf(CheckResult.Violation.class, result);
        System.out.println(violation.report());
        assertEquals(List.of(read), violation.minimalSubHistory(), violation.report());
        assertEquals(CheckResult.Certification.CERTIFIED, violation.certification(), violation.report());
        assertTrue(violation.report().contains("Certified: with the deleted state-changing operations of the part invoked by 20.000 ms put back (0 that responded before these began as recorded, 1 overlapping"),
                violation.report());
    }

    @Test
    void assertLinearizableOnAViolation_throwsWithTheSubHistory() {
        List<Operation> history = List.of(
                op("c1", 0, 10, "requestResource QUEC1111 MTL1001 6", "SUCCESS"),
                op("c2", 20, 30, "requestResource QUEC2222 MTL1001 6", "SUCCESS"));

        AssertionError error = assertThrows(AssertionError.class,
                () -> checker.assertLinearizable(ONE_AMBULANCE_OF_10, history));

        assertTrue(error.getMessage().startsWith("Not linearizable"), error.getMessage());
        assertTrue(error.getMessage().contains("resource MTL1001 AMBULANCE 10"), error.getMessage());
        assertTrue(error.getMessage().contains("requestResource(QUEC1111, MTL1001, 6)"), error.getMessage());
    }

    @Test
    void searchBudgetTooSmall_isInconclusiveAndFailsTheAssertion() {
        LinearizabilityChecker tinyBudget = new LinearizabilityChecker(5);
        List<Operation> history = sequentialHistory("MTL1001 AMBULANCE 10");

        CheckResult result = tinyBudget.check(List.of(), history);

        CheckResult.Inconclusive inconclusive = assertInstanceOf(CheckResult.Inconclusive.class, result);
        System.out.println(inconclusive.report());
        assertEquals(5, inconclusive.stepBudget());
        AssertionError error = assertThrows(AssertionError.class, () -> tinyBudget.assertLinearizable(List.of(),
                history));
        assertTrue(error.getMessage().startsWith("Inconclusive"), error.getMessage());
    }

    @Test
    void callRejectedByInputValidation_cannotEnterAHistory() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> op("c1", 0, 1, "requestResource MTLR1111 MTL1001 5", "SUCCESS"));

        assertTrue(error.getMessage().contains("not a coordinator"), error.getMessage());
    }
}
