package net.totalorder.derms.client;

import jakarta.json.JsonObject;

/**
 * A server's report of its DERMS replica ({@code GET /derms/api/replica}): the seq it applied, and the digest of its
 * state at {@code digestSeq} (computed at most every 100 ms, so it may trail the applied seq under load); two replicas
 * with the same {@code digestSeq} must report the same {@code digest}. Immutable.
 */
public record ReplicaState(String node, long appliedSeq, long digestSeq, String digest) {

    /** The report {@code {"node", "appliedSeq", "digestSeq", "digest"}}. */
    static ReplicaState fromJson(JsonObject report) {
        return new ReplicaState(JsonMembers.requiredString(report, "node"), JsonMembers.requiredLong(report, "appliedSeq"),
                JsonMembers.requiredLong(report, "digestSeq"), JsonMembers.requiredString(report, "digest"));
    }
}
