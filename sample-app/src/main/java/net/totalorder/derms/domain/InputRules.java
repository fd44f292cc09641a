package net.totalorder.derms.domain;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The input and authorization rules shared by {@link DermsRequests}, which applies them to raw request values, and
 * by the command records, whose constructors apply them again so that no malformed or unauthorized command can be
 * built, e.g. when one is decoded from the replicated log. Stateless; safe to share between threads.
 */
final class InputRules {

    // Case-sensitive on purpose: the spec writes IDs in upper case.
    private static final Pattern RESOURCE_ID = Pattern.compile("(MTL|QUE|SHE)[0-9]{4}");
    private static final Pattern USER_ID = Pattern.compile("(MTL|QUE|SHE)[RC][0-9]{4}");

    private InputRules() {
    }

    static String requireUserId(String value) {
        requirePresent(value, "userId");
        if (!USER_ID.matcher(value).matches()) {
            throw new InvalidInputException("userId",
                    "userId must be a city (MTL, QUE, SHE), a role letter (R or C) and 4 digits, e.g. MTLR1111");
        }
        return value;
    }

    static String requireResourceId(String value, String field) {
        requirePresent(value, field);
        if (!RESOURCE_ID.matcher(value).matches()) {
            throw new InvalidInputException(field,
                    field + " must be a city (MTL, QUE, SHE) and 4 digits, e.g. MTL1001");
        }
        return value;
    }

    static ResourceType requireType(ResourceType type, String field) {
        if (type == null) {
            throw missing(field);
        }
        return type;
    }

    static int requirePositiveDuration(int duration, String field) {
        if (duration <= 0) {
            throw new InvalidInputException(field, field + " must be a positive integer");
        }
        return duration;
    }

    static void requireRole(String userId, Role role, String operation) {
        if (Role.ofUserId(userId) != role) {
            throw new ForbiddenException(userId + " is not a " + role.name().toLowerCase(Locale.ROOT)
                    + " and may not call " + operation);
        }
    }

    static void requireOwnCity(String userId, String resourceId, String operation) {
        if (City.ofId(userId) != City.ofId(resourceId)) {
            throw new ForbiddenException(userId + " may not call " + operation + " on " + resourceId
                    + ", a resource of another city");
        }
    }

    static void requirePresent(String value, String field) {
        if (value == null || value.isBlank()) {
            throw missing(field);
        }
    }

    static InvalidInputException missing(String field) {
        return new InvalidInputException(field, field + " is missing");
    }
}
