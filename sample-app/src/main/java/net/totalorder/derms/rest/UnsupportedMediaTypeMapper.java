package net.totalorder.derms.rest;

import java.util.Map;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A state-changing call whose body is not declared JSON → HTTP 415 with a JSON error, before anything runs. Requiring
 * {@code Content-Type: application/json} keeps cross-site HTML forms (which can only send form or plain-text bodies
 * without a CORS preflight) from changing state.
 */
@Provider
public class UnsupportedMediaTypeMapper implements ExceptionMapper<NotSupportedException> {

    @Override
    public Response toResponse(NotSupportedException e) {
        return Response.status(Response.Status.UNSUPPORTED_MEDIA_TYPE).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", "send the body as JSON, with Content-Type: application/json",
                        "field", "Content-Type")).build();
    }
}
