package net.totalorder.derms.domain;

/**
 * A coordinator's request for their own holdings of a type.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record FindResource(String userId, ResourceType type) {

    public FindResource {
        InputRules.requireUserId(userId);
        InputRules.requireType(type, "type");
        InputRules.requireRole(userId, Role.COORDINATOR, "findResource");
    }
}
