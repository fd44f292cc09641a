package net.totalorder.derms.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import net.totalorder.derms.domain.DermsRequests;
import net.totalorder.derms.domain.Result;
import net.totalorder.derms.service.Derms;
import net.totalorder.replication.api.ReplicationUnavailableException;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * {@code /derms/api/resources}: add, remove, list, request and return resources. Every body and parameter is
 * validated and authorized here, before the call is ordered, so invalid input never enters the replicated log.
 *
 * <p>Stateless, so application-scoped like the other endpoints: one instance serves every request and Weld builds
 * its interceptors ({@code @Retry}'s and the retry boundary's) once; request-scoped, building them took 6 % of the
 * servers' Java samples under load (README, "End to end"). Thread-safe.
 */
@Path("/resources")
@ApplicationScoped
@Retry(maxRetries = CallPolicy.RETRIES, delay = CallPolicy.DELAY_MS, jitter = CallPolicy.JITTER_MS,
        retryOn = ReplicationUnavailableException.class)
@Produces(MediaType.APPLICATION_JSON)
public class ResourcesEndpoint {

    @Inject
    Derms derms;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)     // else 415: a cross-site form cannot change state
    public Result add(String body) {
        JsonBody b = JsonBody.parse(body);
        return derms.addResource(DermsRequests.addResource(b.string("userId"), b.string("resourceId"),
                b.string("type"), b.integer("duration")));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{resourceId}/remove")
    public Result remove(@PathParam("resourceId") String resourceId, String body) {
        JsonBody b = JsonBody.parse(body);
        return derms.removeResource(DermsRequests.removeResource(b.string("userId"), resourceId,
                b.integer("duration")));
    }

    @GET
    public Result list(@QueryParam("userId") String userId, @QueryParam("type") String type) {
        return derms.listResourceAvailability(DermsRequests.listResourceAvailability(userId, type));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{resourceId}/request")
    public Result request(@PathParam("resourceId") String resourceId, String body) {
        JsonBody b = JsonBody.parse(body);
        return derms.requestResource(DermsRequests.requestResource(b.string("userId"), resourceId,
                b.integer("duration")));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{resourceId}/return")
    public Result giveBack(@PathParam("resourceId") String resourceId, String body) {
        JsonBody b = JsonBody.parse(body);
        return derms.returnResource(DermsRequests.returnResource(b.string("userId"), resourceId));
    }
}
