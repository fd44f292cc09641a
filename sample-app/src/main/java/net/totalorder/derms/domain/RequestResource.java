package net.totalorder.derms.domain;

/**
 * A coordinator's request to borrow part of a resource of any city.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record RequestResource(String userId, String resourceId, int duration) {

    public RequestResource {
        InputRules.requireUserId(userId);
        InputRules.requireResourceId(resourceId, "resourceId");
        InputRules.requirePositiveDuration(duration, "duration");
        InputRules.requireRole(userId, Role.COORDINATOR, "requestResource");
    }
}
