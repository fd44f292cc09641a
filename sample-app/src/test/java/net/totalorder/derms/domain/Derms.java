package net.totalorder.derms.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Supplier;

/**
 * Test driver: one {@link DermsState} fed through {@link DermsRequests}, so that every test exercises the raw-input
 * path an HTTP call takes. Not thread-safe, like the state it drives.
 */
final class Derms {

    static final String MTL_RESPONDER = "MTLR1111";
    static final String QUE_RESPONDER = "QUER2222";
    static final String SHE_RESPONDER = "SHER3333";
    static final String MTL_COORDINATOR = "MTLC1111";
    static final String QUE_COORDINATOR = "QUEC2222";
    static final String SHE_COORDINATOR = "SHEC3333";

    final DermsState state = new DermsState();

    Result add(String userId, String resourceId, String type, int duration) {
        return state.addResource(DermsRequests.addResource(userId, resourceId, type, duration));
    }

    /** Adds a resource as the responder of its city. */
    Result add(String resourceId, String type, int duration) {
        return add(City.ofId(resourceId) + "R1111", resourceId, type, duration);
    }

    Result remove(String userId, String resourceId, int duration) {
        return state.removeResource(DermsRequests.removeResource(userId, resourceId, duration));
    }

    /** Removes as the responder of the resource's city. */
    Result remove(String resourceId, int duration) {
        return remove(City.ofId(resourceId) + "R1111", resourceId, duration);
    }

    Result list(String userId, String type) {
        return state.listResourceAvailability(DermsRequests.listResourceAvailability(userId, type));
    }

    Result request(String userId, String resourceId, int duration) {
        return state.requestResource(DermsRequests.requestResource(userId, resourceId, duration));
    }

    Result find(String userId, String type) {
        return state.findResource(DermsRequests.findResource(userId, type));
    }

    Result giveBack(String userId, String resourceId) {
        return state.returnResource(DermsRequests.returnResource(userId, resourceId));
    }

    Result swap(String userId, String oldResourceId, String oldType, String newResourceId, String newType) {
        return state.swapResource(DermsRequests.swapResource(userId, oldResourceId, oldType, newResourceId, newType));
    }

    /** Remaining durations of every existing resource of the type, as a responder lists them. */
    List<ResourceEntry> available(String type) {
        return list(MTL_RESPONDER, type).resources();
    }

    /** The remaining duration of an existing resource, or -1 when it is not listed. */
    int remaining(String resourceId) {
        for (ResourceType type : ResourceType.values()) {
            for (ResourceEntry entry : available(type.name())) {
                if (entry.resourceId().equals(resourceId)) {
                    return entry.duration();
                }
            }
        }
        return -1;
    }

    /** The coordinator's holdings of the type. */
    List<ResourceEntry> held(String coordinator, String type) {
        return find(coordinator, type).resources();
    }

    /** The duration the coordinator holds of the resource, or 0. */
    int held(String coordinator, String resourceId, String type) {
        return held(coordinator, type).stream().filter(entry -> entry.resourceId().equals(resourceId))
                .mapToInt(ResourceEntry::duration).sum();
    }

    /** Runs an operation that must fail, and asserts that it left the state as it was. */
    Result assertFailsUnchanged(Supplier<Result> operation) {
        String before = state.digest();
        Result result = operation.get();
        assertEquals(Status.FAILURE, result.status(), result.message());
        assertEquals(before, state.digest(), "a FAILURE must change nothing: " + result.message());
        return result;
    }

    static ResourceEntry entry(String resourceId, ResourceType type, int duration) {
        return new ResourceEntry(resourceId, type, duration);
    }
}
