package net.totalorder.derms.client;

import jakarta.json.JsonObject;

/**
 * One entry of a result's {@code resources}: a resource and its remaining duration (availability) or the duration
 * the coordinator holds (holdings). Immutable.
 */
public record Resource(String resourceId, String type, long duration) {

    /** The entry {@code {"resourceId", "type", "duration"}}. */
    static Resource fromJson(JsonObject entry) {
        return new Resource(JsonMembers.requiredString(entry, "resourceId"), JsonMembers.requiredString(entry, "type"),
                JsonMembers.requiredLong(entry, "duration"));
    }
}
