package net.totalorder.derms.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The complete, mutable DERMS state of all three cities: every resource with its type, remaining duration and FIFO
 * waiting list, and the coordinators' holdings of it. Each public operation applies one validated command as the
 * DERMS specification's operations table says and returns its {@link Result}; business failures are results, never
 * exceptions.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A resource is kept while it exists or while a coordinator still holds part of it. A deleted resource that is
 *       still held has a remaining duration of 0 and an empty waiting list; it is not listed and cannot be requested,
 *       removed or swapped to, but its holders find it, return it (the duration is discarded) or swap it away, and
 *       re-adding its ID with the same type makes it exist again for those holders.</li>
 *   <li>Remaining durations are at least 0; held and waiting durations are positive.</li>
 *   <li>A coordinator is at most once on a resource's waiting list, and the head of a non-empty waiting list needs
 *       more than the remaining duration (otherwise it would have been granted).</li>
 *   <li>A FAILURE result leaves the state unchanged.</li>
 *   <li>The indexes by type and by holder hold exactly the resources a scan would find, so queries read only what
 *       they return ({@link #checkIndexes()}).</li>
 * </ul>
 *
 * <p>Threading: not thread-safe; one thread applies the commands in the order of the replicated log. Every result,
 * message included, and the {@link #digest()} are functions of the commands applied so far (no clock, no randomness,
 * only ordered collections), so replicas that applied the same commands in the same order are identical.
 */
public final class DermsState {

    private static final String CANONICAL_FORM_HEADER = "derms-state 1\n";
    private static final SortedMap<String, Resource> EMPTY = Collections.emptySortedMap();

    private final TreeMap<String, Resource> resourcesById = new TreeMap<>();
    /** The same resources by type, so that a listing reads only its type (kept in step by create and forget). */
    private final EnumMap<ResourceType, SortedMap<String, Resource>> resourcesByType =
            new EnumMap<>(ResourceType.class);
    /** Every coordinator's held resources, so that findResource reads only them (kept in step by hold and giveBack). */
    private final HashMap<String, SortedMap<String, Resource>> holdingsByCoordinator = new HashMap<>();

    /**
     * Creates the resource, or raises its remaining duration to {@code duration} (then serves its waiting list, so
     * that nobody waits for a duration that is available), or re-creates a deleted one that is still held.
     */
    public Result addResource(AddResource command) {
        String id = command.resourceId();
        Resource resource = resourcesById.get(id);
        if (resource == null) {
            create(new Resource(id, command.type(), command.duration()));
            return Result.success("Added " + id + " (" + command.type() + ") with duration " + command.duration()
                    + ".");
        }
        if (resource.type != command.type()) {
            return Result.failure(id + " is of type " + resource.type
                    + (resource.deleted ? " (deleted, still held)" : "") + ", not " + command.type() + ".");
        }
        if (resource.deleted) {
            resource.deleted = false;
            resource.remaining = command.duration();
            return Result.success("Added " + id + " (" + command.type() + ") again with duration " + command.duration()
                    + "; its holders keep what they hold.");
        }
        if (command.duration() <= resource.remaining) {
            return Result.failure(id + " already has a remaining duration of " + resource.remaining
                    + ", not less than " + command.duration() + ".");
        }
        resource.remaining = command.duration();
        int granted = serveWaitingList(resource);
        return Result.success("Raised the remaining duration of " + id + " to " + command.duration()
                + grantedSuffix(granted, resource) + ".");
    }

    /**
     * Reduces the remaining duration, or deletes the resource when nothing would remain: its waiting list is
     * dropped, its holders keep their holdings.
     */
    public Result removeResource(RemoveResource command) {
        String id = command.resourceId();
        Resource resource = existing(id);
        if (resource == null) {
            return Result.failure(id + " does not exist.");
        }
        if (command.duration() < resource.remaining) {
            resource.remaining -= command.duration();
            return Result.success("Reduced the remaining duration of " + id + " to " + resource.remaining + ".");
        }
        int dropped = resource.waitingDurationByCoordinator.size();
        resource.waitingDurationByCoordinator.clear();
        resource.remaining = 0;
        resource.deleted = true;
        if (resource.heldDurationByCoordinator.isEmpty()) {
            forget(resource);
        }
        return Result.success("Deleted " + id + "; dropped " + count(dropped, "waiting request")
                + "; its borrowers keep what they hold.");
    }

    /** Every existing resource of the type in all cities, by resource ID, with its remaining duration (0 included). */
    public Result listResourceAvailability(ListResourceAvailability command) {
        List<ResourceEntry> entries = new ArrayList<>();
        resourcesByType.getOrDefault(command.type(), EMPTY).forEach((id, resource) -> {
            if (!resource.deleted) {
                entries.add(new ResourceEntry(id, resource.type, resource.remaining));
            }
        });
        return Result.listing(count(entries.size(), command.type() + " resource") + " in all cities.", entries);
    }

    /**
     * Grants the duration if it fits in the remaining duration (adding to what the coordinator may already hold),
     * otherwise puts the coordinator at the end of the waiting list.
     */
    public Result requestResource(RequestResource command) {
        String id = command.resourceId();
        String coordinator = command.userId();
        Resource resource = existing(id);
        if (resource == null) {
            return Result.failure(id + " does not exist.");
        }
        if (resource.waitingDurationByCoordinator.containsKey(coordinator)) {
            return Result.failure(coordinator + " is already on the waiting list of " + id + ".");
        }
        if (command.duration() <= resource.remaining) {
            resource.remaining -= command.duration();
            hold(resource, coordinator, command.duration());
            return Result.success("Granted " + command.duration() + " of " + id + " to " + coordinator + "; "
                    + resource.remaining + " remaining.");
        }
        resource.waitingDurationByCoordinator.put(coordinator, command.duration());
        return Result.waitlisted(id + " has only " + resource.remaining + " remaining; " + coordinator + " is number "
                + resource.waitingDurationByCoordinator.size() + " on its waiting list.");
    }

    /** The coordinator's holdings of the type, by resource ID, with the held durations (deleted resources included). */
    public Result findResource(FindResource command) {
        List<ResourceEntry> entries = new ArrayList<>();
        holdingsByCoordinator.getOrDefault(command.userId(), EMPTY).forEach((id, resource) -> {
            if (resource.type == command.type()) {
                entries.add(new ResourceEntry(id, resource.type, resource.heldDurationByCoordinator.get(
                        command.userId())));
            }
        });
        return Result.listing(command.userId() + " holds " + count(entries.size(), command.type() + " resource") + ".",
                entries);
    }

    /** Gives the whole holding back and serves the waiting list; the holding of a deleted resource is discarded. */
    public Result returnResource(ReturnResource command) {
        String id = command.resourceId();
        Resource resource = resourcesById.get(id);
        if (resource == null || !resource.heldDurationByCoordinator.containsKey(command.userId())) {
            return Result.failure(command.userId() + " does not hold " + id + ".");
        }
        return Result.success("Returned " + giveBack(id, resource, command.userId()) + ".");
    }

    /**
     * Borrows from the new resource the whole duration held of the old one, then returns the old one. Every check
     * comes first, so a failure changes nothing; a swap never joins a waiting list.
     */
    public Result swapResource(SwapResource command) {
        String coordinator = command.userId();
        String oldId = command.oldResourceId();
        String newId = command.newResourceId();
        // Borrowing and returning the same resource would only shuffle one holding; refuse it as a likely mistake.
        if (oldId.equals(newId)) {
            return Result.failure("Cannot swap " + oldId + " with itself.");
        }
        Resource oldResource = resourcesById.get(oldId);
        Integer held = oldResource == null ? null : oldResource.heldDurationByCoordinator.get(coordinator);
        if (held == null) {
            return Result.failure(coordinator + " does not hold " + oldId + ".");
        }
        if (oldResource.type != command.oldType()) {
            return Result.failure(oldId + " is of type " + oldResource.type + ", not " + command.oldType() + ".");
        }
        Resource newResource = existing(newId);
        if (newResource == null) {
            return Result.failure(newId + " does not exist.");
        }
        if (newResource.type != command.newType()) {
            return Result.failure(newId + " is of type " + newResource.type + ", not " + command.newType() + ".");
        }
        if (newResource.remaining < held) {
            return Result.failure(newId + " has only " + newResource.remaining + " remaining, less than the " + held
                    + " held of " + oldId + ".");
        }
        newResource.remaining -= held;
        hold(newResource, coordinator, held);
        return Result.success("Borrowed " + held + " of " + newId + " and returned "
                + giveBack(oldId, oldResource, coordinator) + ".");
    }

    /**
     * Hex SHA-256 (lower case) of the canonical rendering of the complete state, so that replicas that applied the
     * same commands report the same digest and any difference in state changes it.
     *
     * <p>The canonical rendering is US-ASCII text, one line per fact, each line ended by a single {@code '\n'}:
     * <pre>
     * derms-state 1
     * resource &lt;resourceId&gt; &lt;type&gt; &lt;remaining duration, or the word deleted&gt;
     * waiting &lt;coordinatorId&gt; &lt;duration&gt;
     * held &lt;coordinatorId&gt; &lt;duration&gt;
     * </pre>
     * The first line appears once. Then, for every resource in ascending resource-ID order (including deleted
     * resources that are still held), its {@code resource} line, one {@code waiting} line per entry of its waiting
     * list in FIFO order, and one {@code held} line per holder in ascending coordinator-ID order. Types are the enum
     * names, numbers are decimal without sign or leading zeros, and fields are separated by one space (no ID or type
     * contains a space, so the rendering is unambiguous).
     */
    public String digest() {
        StringBuilder canonical = new StringBuilder(CANONICAL_FORM_HEADER);
        resourcesById.forEach((id, resource) -> {
            canonical.append("resource ").append(id).append(' ').append(resource.type.name()).append(' ')
                    .append(resource.deleted ? "deleted" : Integer.toString(resource.remaining)).append('\n');
            resource.waitingDurationByCoordinator.forEach((coordinator, duration) ->
                    canonical.append("waiting ").append(coordinator).append(' ').append(duration).append('\n'));
            resource.heldDurationByCoordinator.forEach((coordinator, duration) ->
                    canonical.append("held ").append(coordinator).append(' ').append(duration).append('\n'));
        });
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required on every Java platform", e);
        }
    }

    /** The complete state as a value, for snapshots: every resource in ID order, as {@link #digest()} renders it. */
    public record Snapshot(List<ResourceRecord> resources) {
    }

    /** One resource: deleted but still held, or existing with its remaining duration; waiting list in FIFO order. */
    public record ResourceRecord(String id, ResourceType type, boolean deleted, int remaining, List<Claim> waiting,
                                 List<Claim> held) {
    }

    /** A coordinator's claim on a resource: the duration it waits for, or holds. */
    public record Claim(String coordinator, int duration) {
    }

    /** A copy of the whole state that later commands do not change (linear in the number of resources and claims). */
    public Snapshot snapshot() {
        List<ResourceRecord> records = new ArrayList<>(resourcesById.size());
        resourcesById.forEach((id, r) -> records.add(new ResourceRecord(id, r.type, r.deleted, r.remaining,
                claims(r.waitingDurationByCoordinator), claims(r.heldDurationByCoordinator))));
        return new Snapshot(List.copyOf(records));
    }

    /** Replaces the whole state with {@code snapshot}'s, rebuilding the indexes. */
    public void restore(Snapshot snapshot) {
        resourcesById.clear();
        resourcesByType.clear();
        holdingsByCoordinator.clear();
        for (ResourceRecord r : snapshot.resources()) {
            Resource resource = new Resource(r.id(), r.type(), r.remaining());
            resource.deleted = r.deleted();
            create(resource);
            for (Claim w : r.waiting()) {
                resource.waitingDurationByCoordinator.put(w.coordinator(), w.duration());
            }
            for (Claim h : r.held()) {
                hold(resource, h.coordinator(), h.duration());
            }
        }
    }

    private static List<Claim> claims(Map<String, Integer> byCoordinator) {
        List<Claim> out = new ArrayList<>(byCoordinator.size());
        byCoordinator.forEach((c, d) -> out.add(new Claim(c, d)));
        return List.copyOf(out);
    }

    private Resource existing(String id) {
        Resource resource = resourcesById.get(id);
        return resource == null || resource.deleted ? null : resource;
    }

    /** Ends the coordinator's holding of the resource and describes what became of the duration. */
    private String giveBack(String id, Resource resource, String coordinator) {
        int held = resource.heldDurationByCoordinator.remove(coordinator);
        SortedMap<String, Resource> holdings = holdingsByCoordinator.get(coordinator);
        holdings.remove(id);
        if (holdings.isEmpty()) {
            holdingsByCoordinator.remove(coordinator);
        }
        if (resource.deleted) {
            if (resource.heldDurationByCoordinator.isEmpty()) {
                forget(resource);
            }
            return held + " of " + id + ", which was deleted, so the duration is discarded";
        }
        resource.remaining = saturatedSum(resource.remaining, held);
        int granted = serveWaitingList(resource);
        return held + " of " + id + grantedSuffix(granted, resource);
    }

    private void create(Resource resource) {
        resourcesById.put(resource.id, resource);
        resourcesByType.computeIfAbsent(resource.type, t -> new TreeMap<>()).put(resource.id, resource);
    }

    private void forget(Resource resource) {
        resourcesById.remove(resource.id);
        resourcesByType.get(resource.type).remove(resource.id);
    }

    private void hold(Resource resource, String coordinator, int duration) {
        resource.heldDurationByCoordinator.merge(coordinator, duration, DermsState::saturatedSum);
        holdingsByCoordinator.computeIfAbsent(coordinator, c -> new TreeMap<>()).put(resource.id, resource);
    }

    /**
     * Checks that the indexes hold exactly what a scan of all resources finds (tests call it after every
     * operation of a long random history).
     *
     * @throws IllegalStateException naming the first difference
     */
    void checkIndexes() {
        EnumMap<ResourceType, SortedMap<String, Resource>> byType = new EnumMap<>(ResourceType.class);
        HashMap<String, SortedMap<String, Resource>> holdings = new HashMap<>();
        resourcesById.forEach((id, resource) -> {
            byType.computeIfAbsent(resource.type, t -> new TreeMap<>()).put(id, resource);
            resource.heldDurationByCoordinator.keySet().forEach(coordinator ->
                    holdings.computeIfAbsent(coordinator, c -> new TreeMap<>()).put(id, resource));
        });
        for (ResourceType type : ResourceType.values()) {
            if (!byType.getOrDefault(type, EMPTY).equals(resourcesByType.getOrDefault(type, EMPTY))) {
                throw new IllegalStateException("the " + type + " index is "
                        + resourcesByType.getOrDefault(type, EMPTY).keySet()
                        + ", the resources of that type are " + byType.getOrDefault(type, EMPTY).keySet());
            }
        }
        if (!holdings.equals(holdingsByCoordinator)) {
            throw new IllegalStateException("the holdings index is " + holdingsByCoordinator + ", the resources' "
                    + "holders are " + holdings);
        }
    }

    /** Grants waiting requests in FIFO order while the head fits; returns how many were granted. */
    private int serveWaitingList(Resource resource) {
        int granted = 0;
        Iterator<Map.Entry<String, Integer>> waiting = resource.waitingDurationByCoordinator.entrySet().iterator();
        while (waiting.hasNext()) {
            Map.Entry<String, Integer> head = waiting.next();
            if (head.getValue() > resource.remaining) {
                break;
            }
            resource.remaining -= head.getValue();
            hold(resource, head.getKey(), head.getValue());
            waiting.remove();
            granted++;
        }
        return granted;
    }

    private static String grantedSuffix(int granted, Resource resource) {
        return (granted == 0 ? "" : "; granted " + count(granted, "waiting request")) + "; "
                + resource.remaining + " remaining";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    // The API carries durations as int; a sum beyond Integer.MAX_VALUE is capped rather than wrapped to a negative.
    private static int saturatedSum(int a, int b) {
        return (int) Math.min((long) a + b, Integer.MAX_VALUE);
    }

    /** One resource, existing or deleted but still held; mutable and confined to its {@link DermsState}. */
    private static final class Resource {
        final String id;
        final ResourceType type;
        boolean deleted;
        int remaining;
        /** Coordinators waiting, in FIFO order, with the duration each asked for. */
        final LinkedHashMap<String, Integer> waitingDurationByCoordinator = new LinkedHashMap<>();
        /** Durations held, by coordinator ID in ascending order (the digest's order). */
        final TreeMap<String, Integer> heldDurationByCoordinator = new TreeMap<>();

        Resource(String id, ResourceType type, int remaining) {
            this.id = id;
            this.type = type;
            this.remaining = remaining;
        }

        @Override
        public String toString() {
            return id;
        }
    }
}
