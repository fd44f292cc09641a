package net.totalorder.derms.domain;

/**
 * A coordinator's exchange of their whole holding of one resource for the same duration of another.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record SwapResource(String userId, String oldResourceId, ResourceType oldType,
                           String newResourceId, ResourceType newType) {

    public SwapResource {
        InputRules.requireUserId(userId);
        InputRules.requireResourceId(oldResourceId, "oldResourceId");
        InputRules.requireType(oldType, "oldType");
        InputRules.requireResourceId(newResourceId, "newResourceId");
        InputRules.requireType(newType, "newType");
        InputRules.requireRole(userId, Role.COORDINATOR, "swapResource");
    }
}
