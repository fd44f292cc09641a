package net.totalorder.derms.client;

import java.net.URI;

/**
 * What one server answered to {@code GET /derms/api/replica}. Immutable.
 *
 * @param server  the server asked
 * @param state   its replica report; null if it gave none
 * @param problem why there is no report (no answer, HTTP status, unparseable body); null when there is one
 * @param body    the body it answered; null if it did not answer
 */
public record ReplicaResult(URI server, ReplicaState state, String problem, String body) {

    public boolean answered() {
        return state != null;
    }
}
