package net.totalorder.derms.rest;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import net.totalorder.replication.api.IdempotencyKey;
import net.totalorder.replication.api.ReplicationReceipt;

/**
 * The API's replication headers: the {@code Idempotency-Key} of a state-changing request goes into
 * {@link IdempotencyKey} (an invalid one is refused with 400 before anything runs), and every response to a
 * request that made a replicated call carries {@code X-Replication-Seq}, the seq it was delivered at.
 */
@Provider
public class ReplicationHeaders implements ContainerRequestFilter, ContainerResponseFilter {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLICATION_SEQ = "X-Replication-Seq";

    @Inject
    IdempotencyKey idempotencyKey;
    @Inject
    ReplicationReceipt receipt;

    @Override
    public void filter(ContainerRequestContext request) {
        String key = request.getHeaderString(IDEMPOTENCY_KEY);
        if (key == null || HttpMethod.GET.equals(request.getMethod())) {
            return;                           // reads are not retried by key: they are always answered afresh
        }
        try {
            idempotencyKey.set(key);
        } catch (IllegalArgumentException e) {
            request.abortWith(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", e.getMessage(), "field", IDEMPOTENCY_KEY)).build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        long seq = receipt.sequence();
        if (seq > 0) {
            response.getHeaders().putSingle(REPLICATION_SEQ, Long.toString(seq));
        }
    }
}
