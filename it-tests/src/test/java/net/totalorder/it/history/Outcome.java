package net.totalorder.it.history;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import net.totalorder.derms.domain.ResourceEntry;
import net.totalorder.derms.domain.ResourceType;
import net.totalorder.derms.domain.Status;

/**
 * What a client learned about its call: an {@link Observed} result to compare with the sequential model, or
 * {@link Unknown} when the client gave up (the call may or may not have taken effect). Messages are free text and
 * are not part of an outcome. Immutable; safe to share between threads.
 */
public sealed interface Outcome {

    /** The client timed out or lost the connection: nothing is known about the call's effect or result. */
    static Outcome unknown() {
        return Unknown.INSTANCE;
    }

    /** A result without a resource list (every call except {@code listResourceAvailability}/{@code findResource}). */
    static Observed of(String status) {
        return new Observed(parseStatus(status), null);
    }

    /** A result with the resource list the server returned, in the order it returned them. */
    static Observed of(String status, List<ResourceEntry> resources) {
        return new Observed(parseStatus(status), Objects.requireNonNull(resources, "resources"));
    }

    /** One entry of a returned resource list, from the JSON fields {@code resourceId}, {@code type}, {@code duration}. */
    static ResourceEntry entry(String resourceId, String type, int duration) {
        ResourceType parsed = ResourceType.parse(type)
                .orElseThrow(() -> new IllegalArgumentException("not a resource type: " + type));
        return new ResourceEntry(resourceId, parsed, duration);
    }

    /**
     * A result as the server reported it.
     *
     * <p>Invariant: {@code status} is not null; {@code resources} is null for results without a list and otherwise
     * an unmodifiable copy. Whether the list is compared depends on the call ({@link DermsCall#returnsResources()}).
     */
    record Observed(Status status, List<ResourceEntry> resources) implements Outcome {
        public Observed {
            Objects.requireNonNull(status, "status");
            resources = resources == null ? null : List.copyOf(resources);
        }

        /** Whether the sequential model's result {@code expected} for {@code call} is what was observed. */
        boolean matches(DermsCall call, Observed expected) {
            return status == expected.status && (!call.returnsResources() || Objects.equals(resources,
                    expected.resources));
        }

        @Override
        public String toString() {
            return resources == null ? status.name() : status + " " + resources.stream()
                    .map(entry -> entry.resourceId() + " " + entry.type() + " " + entry.duration())
                    .collect(Collectors.joining(", ", "[", "]"));
        }
    }

    /** The call's effect and result are unknown. */
    enum Unknown implements Outcome {
        INSTANCE;

        @Override
        public String toString() {
            return "UNKNOWN";
        }
    }

    private static Status parseStatus(String status) {
        try {
            return Status.valueOf(Objects.requireNonNull(status, "status").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a DERMS status: " + status, e);
        }
    }
}
