package net.totalorder.derms.domain;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one operation, as the HTTP API returns it.
 *
 * <p>Invariant: {@code status} and {@code message} are never null; {@code resources} is an unmodifiable list for the
 * operations that list resources ({@code listResourceAvailability}, {@code findResource}) and null for all others,
 * so that JSON-B leaves the field out. Immutable; safe to share between threads.
 */
public record Result(Status status, String message, List<ResourceEntry> resources) {

    public Result {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
        resources = resources == null ? null : List.copyOf(resources);
    }

    public static Result success(String message) {
        return new Result(Status.SUCCESS, message, null);
    }

    public static Result failure(String message) {
        return new Result(Status.FAILURE, message, null);
    }

    public static Result waitlisted(String message) {
        return new Result(Status.WAITLISTED, message, null);
    }

    /** A successful listing; an empty list is still a success. */
    public static Result listing(String message, List<ResourceEntry> resources) {
        return new Result(Status.SUCCESS, message, Objects.requireNonNull(resources, "resources"));
    }
}
