package net.totalorder.derms.rest;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import net.totalorder.replication.api.ReplyExpiredException;

/**
 * {@link ReplyExpiredException} → HTTP 409, naming the seq the call was applied at ({@code X-Replication-Seq} too):
 * the retry came after its reply was evicted; the call was not executed again.
 */
@Provider
public class ReplyExpiredMapper implements ExceptionMapper<ReplyExpiredException> {

    @Override
    public Response toResponse(ReplyExpiredException e) {
        return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON)
                .header("X-Replication-Seq", e.sequence())
                .entity(Map.of("error", String.valueOf(e.getMessage()), "appliedAtSeq", e.sequence())).build();
    }
}
