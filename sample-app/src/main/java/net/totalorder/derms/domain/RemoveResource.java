package net.totalorder.derms.domain;

/**
 * A responder's request to reduce the remaining duration of a resource of their own city, or to delete it.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record RemoveResource(String userId, String resourceId, int duration) {

    public RemoveResource {
        InputRules.requireUserId(userId);
        InputRules.requireResourceId(resourceId, "resourceId");
        InputRules.requirePositiveDuration(duration, "duration");
        InputRules.requireRole(userId, Role.RESPONDER, "removeResource");
        InputRules.requireOwnCity(userId, resourceId, "removeResource");
    }
}
