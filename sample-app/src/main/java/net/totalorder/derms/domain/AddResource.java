package net.totalorder.derms.domain;

/**
 * A responder's request to add a resource of their own city, or to raise its remaining duration.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record AddResource(String userId, String resourceId, ResourceType type, int duration) {

    public AddResource {
        InputRules.requireUserId(userId);
        InputRules.requireResourceId(resourceId, "resourceId");
        InputRules.requireType(type, "type");
        InputRules.requirePositiveDuration(duration, "duration");
        InputRules.requireRole(userId, Role.RESPONDER, "addResource");
        InputRules.requireOwnCity(userId, resourceId, "addResource");
    }
}
