package net.totalorder.derms.domain;

/**
 * Turns the raw values of a request (as the HTTP layer receives them) into a validated command, one method per
 * operation. Each method checks the fields in the order of its parameters and reports the first bad one with an
 * {@link InvalidInputException} naming it (HTTP 400); only a request whose every field is valid is then checked
 * for authorization, failing with a {@link ForbiddenException} (HTTP 403). Types are matched ignoring case and
 * normalised to upper case; IDs are case-sensitive and never trimmed. Stateless; safe to share between threads.
 */
public final class DermsRequests {

    private DermsRequests() {
    }

    public static AddResource addResource(String userId, String resourceId, String type, Integer duration) {
        return new AddResource(
                InputRules.requireUserId(userId),
                InputRules.requireResourceId(resourceId, "resourceId"),
                parseType(type, "type"),
                parseDuration(duration, "duration"));
    }

    public static RemoveResource removeResource(String userId, String resourceId, Integer duration) {
        return new RemoveResource(
                InputRules.requireUserId(userId),
                InputRules.requireResourceId(resourceId, "resourceId"),
                parseDuration(duration, "duration"));
    }

    public static ListResourceAvailability listResourceAvailability(String userId, String type) {
        return new ListResourceAvailability(
                InputRules.requireUserId(userId),
                parseType(type, "type"));
    }

    public static RequestResource requestResource(String userId, String resourceId, Integer duration) {
        return new RequestResource(
                InputRules.requireUserId(userId),
                InputRules.requireResourceId(resourceId, "resourceId"),
                parseDuration(duration, "duration"));
    }

    public static FindResource findResource(String userId, String type) {
        return new FindResource(
                InputRules.requireUserId(userId),
                parseType(type, "type"));
    }

    public static ReturnResource returnResource(String userId, String resourceId) {
        return new ReturnResource(
                InputRules.requireUserId(userId),
                InputRules.requireResourceId(resourceId, "resourceId"));
    }

    public static SwapResource swapResource(String userId, String oldResourceId, String oldType,
                                            String newResourceId, String newType) {
        return new SwapResource(
                InputRules.requireUserId(userId),
                InputRules.requireResourceId(oldResourceId, "oldResourceId"),
                parseType(oldType, "oldType"),
                InputRules.requireResourceId(newResourceId, "newResourceId"),
                parseType(newType, "newType"));
    }

    private static ResourceType parseType(String value, String field) {
        InputRules.requirePresent(value, field);
        return ResourceType.parse(value).orElseThrow(() -> new InvalidInputException(field,
                field + " must be one of AMBULANCE, FIRETRUCK, PERSONNEL (any case)"));
    }

    private static int parseDuration(Integer value, String field) {
        if (value == null) {
            throw InputRules.missing(field);
        }
        return InputRules.requirePositiveDuration(value, field);
    }
}
