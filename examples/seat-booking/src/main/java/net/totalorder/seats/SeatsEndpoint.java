package net.totalorder.seats;

import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code /seats/api/seats}: {@code GET} lists the held seats; {@code POST /{seat}/book} and {@code POST
 * /{seat}/release} with {@code {"who": "..."}} book and release. Input is checked here, before anything is ordered:
 * seats A1..J10, names of 1–40 letters or digits; anything else is 400 and changes nothing.
 */
@Path("/seats")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class SeatsEndpoint {

    private static final Pattern SEAT = Pattern.compile("[A-J](10|[1-9])");
    private static final Pattern WHO = Pattern.compile("[A-Za-z0-9]{1,40}");

    @Inject
    Seats seats;

    /** The API's root, {@code /seats/api}. */
    @ApplicationPath("/api")
    public static class Api extends Application {
    }

    @GET
    public Map<String, String> taken() {
        return seats.taken();
    }

    @POST
    @Path("/{seat}/book")
    @Consumes(MediaType.APPLICATION_JSON)    // else 415: a cross-site form cannot book
    public Seats.Booking book(@PathParam("seat") String seat, JsonObject body) {
        return seats.book(checked(seat, SEAT, "seat"), who(body));
    }

    @POST
    @Path("/{seat}/release")
    @Consumes(MediaType.APPLICATION_JSON)
    public Seats.Booking release(@PathParam("seat") String seat, JsonObject body) {
        return seats.release(checked(seat, SEAT, "seat"), who(body));
    }

    private static String who(JsonObject body) {
        if (body == null || !(body.get("who") instanceof JsonString who)) {
            throw new BadRequestException("the body must be {\"who\": \"<name>\"}");
        }
        return checked(who.getString(), WHO, "who");
    }

    private static String checked(String value, Pattern allowed, String what) {
        if (value == null || !allowed.matcher(value).matches()) {
            throw new BadRequestException(what + " must match " + allowed.pattern());
        }
        return value;
    }
}
