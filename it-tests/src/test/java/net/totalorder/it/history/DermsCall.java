package net.totalorder.it.history;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import net.totalorder.derms.domain.DermsRequests;
import net.totalorder.derms.domain.ForbiddenException;
import net.totalorder.derms.domain.InvalidInputException;
import net.totalorder.derms.domain.ResourceType;

/**
 * One DERMS operation with its arguments, as a client sent it; one record per operation kind.
 *
 * <p>Invariant: every instance is a call the service would accept (well-formed and authorized, checked by the domain
 * model's {@link DermsRequests}); types are normalised to upper case. A call rejected with HTTP 400 or 403 changes
 * nothing on any replica, so it has no place in a history and cannot be built: the factories throw
 * {@link IllegalArgumentException}. Immutable; safe to share between threads.
 */
public sealed interface DermsCall {

    /** The user who made the call. */
    String userId();

    /** The resources this call names in its arguments (listings and finds name none). */
    Set<String> namedResourceIds();

    /** True for the calls that never change the state (listings and finds). */
    default boolean readOnly() {
        return false;
    }

    /** True for the calls whose result carries a resource list that is compared. */
    default boolean returnsResources() {
        return readOnly();
    }

    /**
     * The call named like the HTTP operation ({@code addResource}, ..., {@code swapResource}) with its arguments in
     * the order of the spec's signatures, e.g. {@code of("requestResource", "QUEC2222", "MTL1001", "5")}.
     */
    static DermsCall of(String operation, String... arguments) {
        List<String> args = List.of(arguments);
        return switch (operation) {
            case "addResource" -> addResource(arg(args, 4, 0), arg(args, 4, 1), arg(args, 4, 2),
                    duration(arg(args, 4, 3)));
            case "removeResource" -> removeResource(arg(args, 3, 0), arg(args, 3, 1), duration(arg(args, 3, 2)));
            case "listResourceAvailability" -> listResourceAvailability(arg(args, 2, 0), arg(args, 2, 1));
            case "requestResource" -> requestResource(arg(args, 3, 0), arg(args, 3, 1), duration(arg(args, 3, 2)));
            case "findResource" -> findResource(arg(args, 2, 0), arg(args, 2, 1));
            case "returnResource" -> returnResource(arg(args, 2, 0), arg(args, 2, 1));
            case "swapResource" -> swapResource(arg(args, 5, 0), arg(args, 5, 1), arg(args, 5, 2), arg(args, 5, 3),
                    arg(args, 5, 4));
            default -> throw new IllegalArgumentException("unknown DERMS operation " + operation);
        };
    }

    static Add addResource(String userId, String resourceId, String type, int duration) {
        return validated(() -> {
            var command = DermsRequests.addResource(userId, resourceId, type, duration);
            return new Add(command.userId(), command.resourceId(), command.type(), command.duration());
        });
    }

    static Remove removeResource(String userId, String resourceId, int duration) {
        return validated(() -> {
            var command = DermsRequests.removeResource(userId, resourceId, duration);
            return new Remove(command.userId(), command.resourceId(), command.duration());
        });
    }

    static ListAvailability listResourceAvailability(String userId, String type) {
        return validated(() -> {
            var command = DermsRequests.listResourceAvailability(userId, type);
            return new ListAvailability(command.userId(), command.type());
        });
    }

    static Request requestResource(String userId, String resourceId, int duration) {
        return validated(() -> {
            var command = DermsRequests.requestResource(userId, resourceId, duration);
            return new Request(command.userId(), command.resourceId(), command.duration());
        });
    }

    static Find findResource(String userId, String type) {
        return validated(() -> {
            var command = DermsRequests.findResource(userId, type);
            return new Find(command.userId(), command.type());
        });
    }

    static Return returnResource(String userId, String resourceId) {
        return validated(() -> {
            var command = DermsRequests.returnResource(userId, resourceId);
            return new Return(command.userId(), command.resourceId());
        });
    }

    static Swap swapResource(String userId, String oldResourceId, String oldType, String newResourceId,
                             String newType) {
        return validated(() -> {
            var command = DermsRequests.swapResource(userId, oldResourceId, oldType, newResourceId, newType);
            return new Swap(command.userId(), command.oldResourceId(), command.oldType(), command.newResourceId(),
                    command.newType());
        });
    }

    /** {@code addResource}; build it with {@link #addResource}. */
    record Add(String userId, String resourceId, ResourceType type, int duration) implements DermsCall {
        public Add {
            validated(() -> DermsRequests.addResource(userId, resourceId, name(type), duration));
        }

        @Override
        public Set<String> namedResourceIds() {
            return Set.of(resourceId);
        }

        @Override
        public String toString() {
            return "addResource(" + userId + ", " + resourceId + ", " + type + ", " + duration + ")";
        }
    }

    /** {@code removeResource}; build it with {@link #removeResource}. */
    record Remove(String userId, String resourceId, int duration) implements DermsCall {
        public Remove {
            validated(() -> DermsRequests.removeResource(userId, resourceId, duration));
        }

        @Override
        public Set<String> namedResourceIds() {
            return Set.of(resourceId);
        }

        @Override
        public String toString() {
            return "removeResource(" + userId + ", " + resourceId + ", " + duration + ")";
        }
    }

    /** {@code listResourceAvailability}; build it with {@link #listResourceAvailability}. */
    record ListAvailability(String userId, ResourceType type) implements DermsCall {
        public ListAvailability {
            validated(() -> DermsRequests.listResourceAvailability(userId, name(type)));
        }

        @Override
        public Set<String> namedResourceIds() {
            return Set.of();
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String toString() {
            return "listResourceAvailability(" + userId + ", " + type + ")";
        }
    }

    /** {@code requestResource}; build it with {@link #requestResource}. */
    record Request(String userId, String resourceId, int duration) implements DermsCall {
        public Request {
            validated(() -> DermsRequests.requestResource(userId, resourceId, duration));
        }

        @Override
        public Set<String> namedResourceIds() {
            return Set.of(resourceId);
        }

        @Override
        public String toString() {
            return "requestResource(" + userId + ", " + resourceId + ", " + duration + ")";
        }
    }

    /** {@code findResource}; build it with {@link #findResource}. */
    record Find(String userId, ResourceType type) implements DermsCall {
        public Find {
            validated(() -> DermsRequests.findResource(userId, name(type)));
        }

        @Override
        public Set<String> namedResourceIds() {
            return Set.of();
        }

        @Override
        public boolean readOnly() {
            return true;
        }

        @Override
        public String toString() {
            return "findResource(" + userId + ", " + type + ")";
        }
    }

    /** {@code returnResource}; build it with {@link #returnResource}. */
    record Return(String userId, String resourceId) implements DermsCall {
        public Return {
            validated(() -> DermsRequests.returnResource(userId, resourceId));
        }

        @Override
        public Set<String> namedResourceIds() {
            return Set.of(resourceId);
        }

        @Override
        public String toString() {
            return "returnResource(" + userId + ", " + resourceId + ")";
        }
    }

    /** {@code swapResource}; build it with {@link #swapResource}. */
    record Swap(String userId, String oldResourceId, ResourceType oldType, String newResourceId, ResourceType newType)
            implements DermsCall {
        public Swap {
            validated(() -> DermsRequests.swapResource(userId, oldResourceId, name(oldType), newResourceId,
                    name(newType)));
        }

        @Override
        public Set<String> namedResourceIds() {
            // Set.of rejects duplicates, and swapping a resource with itself is a valid (failing) call.
            return oldResourceId.equals(newResourceId) ? Set.of(oldResourceId) : Set.of(oldResourceId, newResourceId);
        }

        @Override
        public String toString() {
            return "swapResource(" + userId + ", " + oldResourceId + ", " + oldType + ", " + newResourceId + ", "
                    + newType + ")";
        }
    }

    private static <T> T validated(Supplier<T> construction) {
        try {
            return construction.get();
        } catch (InvalidInputException | ForbiddenException e) {
            throw new IllegalArgumentException("not a call the service accepts (a 400 or 403 changes nothing, so "
                    + "leave it out of the history): " + e.getMessage(), e);
        }
    }

    private static String name(ResourceType type) {
        return type == null ? null : type.name();
    }

    private static String arg(List<String> arguments, int expectedCount, int index) {
        if (arguments.size() != expectedCount) {
            throw new IllegalArgumentException("expected " + expectedCount + " arguments, got " + arguments);
        }
        return arguments.get(index);
    }

    private static int duration(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration is not an int: " + text, e);
        }
    }
}
