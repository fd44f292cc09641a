package net.totalorder.derms.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import net.totalorder.derms.domain.DermsRequests;
import net.totalorder.derms.domain.Result;
import net.totalorder.derms.service.Derms;
import net.totalorder.replication.api.ReplicationUnavailableException;
import org.eclipse.microprofile.faulttolerance.Retry;

/** {@code /derms/api/holdings}: a coordinator's holdings of a type (findResource). */
@Path("/holdings")
@ApplicationScoped
@Retry(maxRetries = CallPolicy.RETRIES, delay = CallPolicy.DELAY_MS, jitter = CallPolicy.JITTER_MS,
        retryOn = ReplicationUnavailableException.class)
@Produces(MediaType.APPLICATION_JSON)
public class HoldingsEndpoint {

    @Inject
    Derms derms;

    @GET
    public Result find(@QueryParam("userId") String userId, @QueryParam("type") String type) {
        return derms.findResource(DermsRequests.findResource(userId, type));
    }
}
