package net.totalorder.derms.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import net.totalorder.derms.domain.DermsRequests;
import net.totalorder.derms.domain.Result;
import net.totalorder.derms.service.Derms;
import net.totalorder.replication.api.ReplicationUnavailableException;
import org.eclipse.microprofile.faulttolerance.Retry;

/** {@code /derms/api/swap}: a coordinator swaps a held resource for another, atomically. */
@Path("/swap")
@ApplicationScoped
@Retry(maxRetries = CallPolicy.RETRIES, delay = CallPolicy.DELAY_MS, jitter = CallPolicy.JITTER_MS,
        retryOn = ReplicationUnavailableException.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)   // else 415: a cross-site form cannot change state
public class SwapEndpoint {

    @Inject
    Derms derms;

    @POST
    public Result swap(String body) {
        JsonBody b = JsonBody.parse(body);
        return derms.swapResource(DermsRequests.swapResource(b.string("userId"), b.string("oldResourceId"),
                b.string("oldType"), b.string("newResourceId"), b.string("newType")));
    }
}
