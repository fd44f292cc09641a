package net.totalorder.derms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DermsRequestsTest {

    private static final String RESPONDER = "MTLR1111";
    private static final String COORDINATOR = "QUEC2222";

    @ParameterizedTest
    @ValueSource(strings = {"ambulance", "Ambulance", "AMBULANCE", "aMbUlAnCe"})
    void typeInAnyCase_isNormalizedToUpperCase(String type) {
        assertEquals(ResourceType.AMBULANCE, DermsRequests.addResource(RESPONDER, "MTL1001", type, 5).type());
        assertEquals(ResourceType.AMBULANCE, DermsRequests.listResourceAvailability(RESPONDER, type).type());
        assertEquals(ResourceType.AMBULANCE, DermsRequests.findResource(COORDINATOR, type).type());
        SwapResource swap = DermsRequests.swapResource(COORDINATOR, "MTL1001", type, "SHE1002", type.toLowerCase());
        assertEquals(ResourceType.AMBULANCE, swap.oldType());
        assertEquals(ResourceType.AMBULANCE, swap.newType());
    }

    @Test
    void validRequests_carryTheirValues() {
        assertEquals(new AddResource(RESPONDER, "MTL1001", ResourceType.FIRETRUCK, 7),
                DermsRequests.addResource(RESPONDER, "MTL1001", "firetruck", 7));
        assertEquals(new RemoveResource(RESPONDER, "MTL1001", 3), DermsRequests.removeResource(RESPONDER, "MTL1001", 3));
        assertEquals(new ListResourceAvailability(RESPONDER, ResourceType.PERSONNEL),
                DermsRequests.listResourceAvailability(RESPONDER, "personnel"));
        assertEquals(new RequestResource(COORDINATOR, "SHE9999", 1), DermsRequests.requestResource(COORDINATOR, "SHE9999", 1));
        assertEquals(new FindResource(COORDINATOR, ResourceType.FIRETRUCK), DermsRequests.findResource(COORDINATOR, "FireTruck"));
        assertEquals(new ReturnResource(COORDINATOR, "MTL0000"), DermsRequests.returnResource(COORDINATOR, "MTL0000"));
        assertEquals(new SwapResource(COORDINATOR, "MTL1001", ResourceType.AMBULANCE, "QUE1001", ResourceType.PERSONNEL),
                DermsRequests.swapResource(COORDINATOR, "MTL1001", "ambulance", "QUE1001", "personnel"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MTLR0000", "QUER1234", "SHER9999"})
    void responderOfAnyCity_mayListAllCities(String responder) {
        assertEquals(responder, DermsRequests.listResourceAvailability(responder, "AMBULANCE").userId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MTL1001", "QUE1001", "SHE1001"})
    void coordinatorOfAnyCity_mayUseResourcesOfEveryCity(String resourceId) {
        assertEquals(resourceId, DermsRequests.requestResource("SHEC0001", resourceId, 1).resourceId());
        assertEquals(resourceId, DermsRequests.returnResource("SHEC0001", resourceId).resourceId());
    }

    static Stream<String> malformedUserIds() {
        return Stream.of("MTL1111", "mtlr1111", "MtlR1111", "MTLr1111", "MTLX1111", "MTLR111", "MTLR11111", "NYCR1111",
                " MTLR1111", "MTLR1111 ", "MTLRabcd", "MTLR\u0661\u0662\u0663\u0664", "MTL1001");
    }

    static Stream<String> missingValues() {
        return Stream.of(null, "", "   ");
    }

    @ParameterizedTest
    @MethodSource({"malformedUserIds", "missingValues"})
    void badUserId_isInvalidUserIdInEveryOperation(String userId) {
        assertInvalid("userId", () -> DermsRequests.addResource(userId, "MTL1001", "AMBULANCE", 1));
        assertInvalid("userId", () -> DermsRequests.removeResource(userId, "MTL1001", 1));
        assertInvalid("userId", () -> DermsRequests.listResourceAvailability(userId, "AMBULANCE"));
        assertInvalid("userId", () -> DermsRequests.requestResource(userId, "MTL1001", 1));
        assertInvalid("userId", () -> DermsRequests.findResource(userId, "AMBULANCE"));
        assertInvalid("userId", () -> DermsRequests.returnResource(userId, "MTL1001"));
        assertInvalid("userId", () -> DermsRequests.swapResource(userId, "MTL1001", "AMBULANCE", "MTL1002", "AMBULANCE"));
    }

    static Stream<String> malformedResourceIds() {
        return Stream.of("MTL101", "MTL10011", "mtl1001", "Mtl1001", "NYC1001", "MTLR1001", "MTL1001 ", " MTL1001",
                "MTL-001", "MTL\u0661\u0662\u0663\u0664", "1001");
    }

    @ParameterizedTest
    @MethodSource({"malformedResourceIds", "missingValues"})
    void badResourceId_isInvalidResourceIdInEveryOperation(String resourceId) {
        assertInvalid("resourceId", () -> DermsRequests.addResource(RESPONDER, resourceId, "AMBULANCE", 1));
        assertInvalid("resourceId", () -> DermsRequests.removeResource(RESPONDER, resourceId, 1));
        assertInvalid("resourceId", () -> DermsRequests.requestResource(COORDINATOR, resourceId, 1));
        assertInvalid("resourceId", () -> DermsRequests.returnResource(COORDINATOR, resourceId));
        assertInvalid("oldResourceId",
                () -> DermsRequests.swapResource(COORDINATOR, resourceId, "AMBULANCE", "MTL1002", "AMBULANCE"));
        assertInvalid("newResourceId",
                () -> DermsRequests.swapResource(COORDINATOR, "MTL1002", "AMBULANCE", resourceId, "AMBULANCE"));
    }

    static Stream<String> unknownTypes() {
        return Stream.of("TRUCK", "AMBULANCES", "AMBULANCE ", " AMBULANCE", "AMBU LANCE", "ambulance1",
                "F\u0131RETRUCK", "PERSONNEL\n");
    }

    @ParameterizedTest
    @MethodSource({"unknownTypes", "missingValues"})
    void badType_isInvalidTypeInEveryOperation(String type) {
        assertInvalid("type", () -> DermsRequests.addResource(RESPONDER, "MTL1001", type, 1));
        assertInvalid("type", () -> DermsRequests.listResourceAvailability(RESPONDER, type));
        assertInvalid("type", () -> DermsRequests.findResource(COORDINATOR, type));
        assertInvalid("oldType", () -> DermsRequests.swapResource(COORDINATOR, "MTL1001", type, "MTL1002", "AMBULANCE"));
        assertInvalid("newType", () -> DermsRequests.swapResource(COORDINATOR, "MTL1001", "AMBULANCE", "MTL1002", type));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void nonPositiveDuration_isInvalidDuration(int duration) {
        assertInvalid("duration", () -> DermsRequests.addResource(RESPONDER, "MTL1001", "AMBULANCE", duration));
        assertInvalid("duration", () -> DermsRequests.removeResource(RESPONDER, "MTL1001", duration));
        assertInvalid("duration", () -> DermsRequests.requestResource(COORDINATOR, "MTL1001", duration));
    }

    @Test
    void nullDuration_isMissingDuration() {
        InvalidInputException add = assertInvalid("duration",
                () -> DermsRequests.addResource(RESPONDER, "MTL1001", "AMBULANCE", null));
        assertEquals("duration is missing", add.getMessage());
        assertInvalid("duration", () -> DermsRequests.removeResource(RESPONDER, "MTL1001", null));
        assertInvalid("duration", () -> DermsRequests.requestResource(COORDINATOR, "MTL1001", null));
    }

    @Test
    void severalBadFields_firstInParameterOrderIsNamed() {
        assertInvalid("userId", () -> DermsRequests.addResource("x", "x", "x", 0));
        assertInvalid("resourceId", () -> DermsRequests.addResource(RESPONDER, "x", "x", 0));
        assertInvalid("type", () -> DermsRequests.addResource(RESPONDER, "MTL1001", "x", 0));
        assertInvalid("oldResourceId", () -> DermsRequests.swapResource(COORDINATOR, null, null, null, null));
        assertInvalid("oldType", () -> DermsRequests.swapResource(COORDINATOR, "MTL1001", null, null, null));
        assertInvalid("newResourceId", () -> DermsRequests.swapResource(COORDINATOR, "MTL1001", "AMBULANCE", null, null));
    }

    @Test
    void invalidInputOfForbiddenCall_isInvalidNotForbidden() {
        assertInvalid("duration", () -> DermsRequests.addResource(COORDINATOR, "MTL1001", "AMBULANCE", 0));
        assertInvalid("resourceId", () -> DermsRequests.requestResource(RESPONDER, "bad", 1));
    }

    @Test
    void coordinatorCallingResponderOperation_isForbidden() {
        assertThrows(ForbiddenException.class, () -> DermsRequests.addResource("MTLC1111", "MTL1001", "AMBULANCE", 1));
        assertThrows(ForbiddenException.class, () -> DermsRequests.removeResource("MTLC1111", "MTL1001", 1));
        assertThrows(ForbiddenException.class, () -> DermsRequests.listResourceAvailability("MTLC1111", "AMBULANCE"));
    }

    @Test
    void responderCallingCoordinatorOperation_isForbidden() {
        assertThrows(ForbiddenException.class, () -> DermsRequests.requestResource(RESPONDER, "MTL1001", 1));
        assertThrows(ForbiddenException.class, () -> DermsRequests.findResource(RESPONDER, "AMBULANCE"));
        assertThrows(ForbiddenException.class, () -> DermsRequests.returnResource(RESPONDER, "MTL1001"));
        assertThrows(ForbiddenException.class,
                () -> DermsRequests.swapResource(RESPONDER, "MTL1001", "AMBULANCE", "MTL1002", "AMBULANCE"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"QUE1001", "SHE1001"})
    void responderAddingOrRemovingResourceOfAnotherCity_isForbidden(String resourceId) {
        assertThrows(ForbiddenException.class, () -> DermsRequests.addResource(RESPONDER, resourceId, "AMBULANCE", 1));
        assertThrows(ForbiddenException.class, () -> DermsRequests.removeResource(RESPONDER, resourceId, 1));
    }

    static Stream<Arguments> directlyBuiltBadCommands() {
        return Stream.of(
                Arguments.of("duration", (Executable) () -> new AddResource(RESPONDER, "MTL1001", ResourceType.AMBULANCE, 0)),
                Arguments.of("type", (Executable) () -> new AddResource(RESPONDER, "MTL1001", null, 1)),
                Arguments.of("userId", (Executable) () -> new RemoveResource("mtlr1111", "MTL1001", 1)),
                Arguments.of("type", (Executable) () -> new ListResourceAvailability(RESPONDER, null)),
                Arguments.of("resourceId", (Executable) () -> new RequestResource(COORDINATOR, "MTL01", 1)),
                Arguments.of("type", (Executable) () -> new FindResource(COORDINATOR, null)),
                Arguments.of("resourceId", (Executable) () -> new ReturnResource(COORDINATOR, null)),
                Arguments.of("newType", (Executable) () ->
                        new SwapResource(COORDINATOR, "MTL1001", ResourceType.AMBULANCE, "MTL1002", null)));
    }

    @ParameterizedTest
    @MethodSource("directlyBuiltBadCommands")
    void commandBuiltDirectlyWithBadField_isInvalid(String field, Executable construction) {
        assertInvalid(field, construction);
    }

    @Test
    void commandBuiltDirectlyByWrongUser_isForbidden() {
        assertThrows(ForbiddenException.class, () -> new AddResource(COORDINATOR, "QUE1001", ResourceType.AMBULANCE, 1));
        assertThrows(ForbiddenException.class, () -> new RemoveResource(RESPONDER, "QUE1001", 1));
        assertThrows(ForbiddenException.class, () -> new SwapResource(RESPONDER, "MTL1001", ResourceType.AMBULANCE,
                "MTL1002", ResourceType.AMBULANCE));
    }

    @Test
    void resourceTypeParse_ignoresCaseAndRejectsEverythingElse() {
        assertEquals(Optional.of(ResourceType.PERSONNEL), ResourceType.parse("personnel"));
        assertEquals(Optional.empty(), ResourceType.parse(null));
        assertEquals(Optional.empty(), ResourceType.parse("fıretruck"));
        assertEquals(Optional.empty(), ResourceType.parse("police"));
    }

    @Test
    void idPrefixesAndRoleLetters_nameCityAndRole() {
        assertEquals(City.QUE, City.ofId("QUE1001"));
        assertEquals(City.SHE, City.ofId("SHEC0001"));
        assertEquals(Role.RESPONDER, Role.ofUserId("MTLR0001"));
        assertEquals(Role.COORDINATOR, Role.ofUserId("MTLC0001"));
        assertEquals('R', Role.RESPONDER.letter());
        assertEquals('C', Role.COORDINATOR.letter());
    }

    private static InvalidInputException assertInvalid(String field, Executable call) {
        InvalidInputException exception = assertThrows(InvalidInputException.class, call);
        assertEquals(field, exception.field(), exception.getMessage());
        return exception;
    }
}
