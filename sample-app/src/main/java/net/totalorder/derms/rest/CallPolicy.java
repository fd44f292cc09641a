package net.totalorder.derms.rest;

import net.totalorder.replication.api.ReplicationUnavailableException;

/**
 * How the endpoints retry, in the MicroProfile Fault Tolerance {@code @Retry} each carries: a replicated call that
 * ended in {@link ReplicationUnavailableException} — no reply within {@code replication.call.timeout-ms} (2 s in
 * server.xml), or too many calls waiting — is made again {@value #RETRIES} times after about {@value #DELAY_MS} ms,
 * under the same request id, so a retry is applied at most once and is answered from the reply cache when the
 * earlier attempt was applied. At worst about 8.5 s, then 503. Overridable by MicroProfile Config
 * ({@code Retry/maxRetries}, {@code Retry/delay}).
 *
 * <p>No {@code @Timeout} here: the call timeout already bounds each attempt, on the caller's own thread, whereas
 * Liberty fires {@code @Timeout} from its default executor — whose threads may all be the requests waiting for it.
 */
final class CallPolicy {

    static final int RETRIES = 3;
    static final long DELAY_MS = 100;
    static final long JITTER_MS = 50;

    private CallPolicy() {
    }
}
