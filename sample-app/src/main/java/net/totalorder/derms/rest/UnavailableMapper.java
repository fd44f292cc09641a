package net.totalorder.derms.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import net.totalorder.replication.api.ReplicationUnavailableException;

/** {@link ReplicationUnavailableException} → HTTP 503 with Retry-After; retry with the same Idempotency-Key. */
@Provider
public class UnavailableMapper implements ExceptionMapper<ReplicationUnavailableException> {

    @Override
    public Response toResponse(ReplicationUnavailableException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON).header("Retry-After", "1")
                .entity(Map.of("error", String.valueOf(e.getMessage()))).build();
    }
}
