package net.totalorder.derms.domain;

/**
 * A responder's request for the remaining durations of every resource of a type, in all cities.
 *
 * <p>Invariant: every instance is well-formed and authorized; the constructor checks the fields in order and then
 * the caller's rights, throwing {@link InvalidInputException} or {@link ForbiddenException}. Build instances from
 * raw input with {@link DermsRequests}. Immutable; safe to share between threads.
 */
public record ListResourceAvailability(String userId, ResourceType type) {

    public ListResourceAvailability {
        InputRules.requireUserId(userId);
        InputRules.requireType(type, "type");
        InputRules.requireRole(userId, Role.RESPONDER, "listResourceAvailability");
    }
}
