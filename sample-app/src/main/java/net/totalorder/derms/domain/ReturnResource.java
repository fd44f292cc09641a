package net.totalorder.derms.domain;

/**
 * A coordinator's return of everything they hold of a resource.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record ReturnResource(String userId, String resourceId) {

    public ReturnResource {
        InputRules.requireUserId(userId);
        InputRules.requireResourceId(resourceId, "resourceId");
        InputRules.requireRole(userId, Role.COORDINATOR, "returnResource");
    }
}
