package net.totalorder.derms.client;

import java.util.Map;

/**
 * A server's report of its DERMS replica ({@code GET /derms/api/replica}): two replicas with the same
 * {@code appliedSeq} must report the same {@code digest}. Immutable.
 */
public record ReplicaState(String node, long appliedSeq, String digest) {

    /** The report {@code {"node", "appliedSeq", "digest"}}. */
    static ReplicaState fromJson(Map<String, Object> report) {
        return new ReplicaState(JsonMembers.requiredString(report, "node"), JsonMembers.requiredLong(report, "appliedSeq"),
                JsonMembers.requiredString(report, "digest"));
    }
}
