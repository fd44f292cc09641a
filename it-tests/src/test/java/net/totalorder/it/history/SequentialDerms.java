package net.totalorder.it.history;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.totalorder.derms.domain.DermsState;
import net.totalorder.derms.domain.ResourceEntry;
import net.totalorder.derms.domain.ResourceType;
import net.totalorder.derms.domain.Status;

/**
 * An immutable copy of the DERMS sequential semantics of {@link DermsState} (spec plus CHOICES.md), made for the
 * linearizability search: applying a call returns a new state and leaves this one intact, so the search can keep every
 * state on its backtracking stack, and states compare by value, so (linearized set, state) pairs can be memoized.
 * {@code SequentialDermsTest} checks results and {@link DermsState#digest()} against the real model on random
 * sequences; keep the two in step when the domain model changes.
 *
 * <p>Invariant: the same as {@link DermsState}'s: a resource is present while it exists or is deleted but still held; a
 * deleted one has remaining 0 and no waiters; remaining durations are at least 0, held and waiting durations positive;
 * a coordinator waits at most once per resource. Two states are equal exactly when {@link DermsState#digest()} would
 * be. Immutable; safe to share between threads.
 */
final class SequentialDerms {

    static final SequentialDerms EMPTY = new SequentialDerms(new TreeMap<>());

    /** Never modified after construction; by resource ID, the order of listings and of the canonical rendering. */
    private final TreeMap<String, Resource> resourcesById;
    private final int hash;

    private SequentialDerms(TreeMap<String, Resource> resourcesById) {
        this.resourcesById = resourcesById;
        this.hash = resourcesById.hashCode();
    }

    /** The state after a call, and the call's result. */
    record Step(SequentialDerms state, Outcome.Observed result) {
    }

    /** The state reached by applying {@code calls} in order from the empty state; their results are ignored. */
    static SequentialDerms after(List<DermsCall> calls) {
        SequentialDerms state = EMPTY;
        for (DermsCall call : calls) {
            state = state.apply(call).state();
        }
        return state;
    }

    Step apply(DermsCall call) {
        // Java 17 has no pattern matching for switch; DermsCall is sealed, so this chain is exhaustive.
        if (call instanceof DermsCall.Add add) {
            return add(add);
        } else if (call instanceof DermsCall.Remove remove) {
            return remove(remove);
        } else if (call instanceof DermsCall.ListAvailability list) {
            return unchanged(Status.SUCCESS, listing(list.type()));
        } else if (call instanceof DermsCall.Request request) {
            return request(request);
        } else if (call instanceof DermsCall.Find find) {
            return unchanged(Status.SUCCESS, holdings(find.userId(), find.type()));
        } else if (call instanceof DermsCall.Return giveBack) {
            return giveBack(giveBack);
        } else {
            return swap((DermsCall.Swap) call);
        }
    }

    /** The resource IDs present in this state (existing, or deleted but held). */
    Set<String> resourceIds() {
        return resourcesById.keySet();
    }

    /** The type of a present resource, or null. */
    ResourceType typeOf(String resourceId) {
        Resource resource = resourcesById.get(resourceId);
        return resource == null ? null : resource.type;
    }

    /** Whether the coordinator holds or waits for the resource in this state. */
    boolean involves(String coordinatorId, String resourceId) {
        Resource resource = resourcesById.get(resourceId);
        return resource != null && (resource.held.containsKey(coordinatorId) || resource.waits(coordinatorId));
    }

    /** This state with only the given resources (the state of an independent part of the history). */
    SequentialDerms restrictedTo(Collection<String> resourceIds) {
        TreeMap<String, Resource> kept = new TreeMap<>();
        for (String id : resourceIds) {
            Resource resource = resourcesById.get(id);
            if (resource != null) {
                kept.put(id, resource);
            }
        }
        return new SequentialDerms(kept);
    }

    /**
     * The canonical rendering that {@link DermsState#digest()} hashes: {@code derms-state 1}, then per resource its
     * {@code resource}, {@code waiting} (FIFO) and {@code held} (by coordinator) lines, each ended by a newline.
     */
    String canonicalText() {
        StringBuilder text = new StringBuilder("derms-state 1\n");
        resourcesById.forEach((id, resource) -> {
            text.append("resource ").append(id).append(' ').append(resource.type.name()).append(' ')
                    .append(resource.deleted ? "deleted" : Integer.toString(resource.remaining)).append('\n');
            resource.waiting.forEach(waiter -> text.append("waiting ").append(waiter.coordinatorId()).append(' ')
                    .append(waiter.duration()).append('\n'));
            resource.held.forEach((coordinator, duration) ->
                    text.append("held ").append(coordinator).append(' ').append(duration).append('\n'));
        });
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof SequentialDerms state && hash == state.hash
                && resourcesById.equals(state.resourcesById);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return canonicalText();
    }

    private Step add(DermsCall.Add add) {
        Resource resource = resourcesById.get(add.resourceId());
        if (resource == null) {
            return changed(add.resourceId(), new Resource(add.type(), false, add.duration(), List.of(), Map.of()));
        }
        if (resource.type != add.type() || !resource.deleted && add.duration() <= resource.remaining) {
            return failure();
        }
        // Re-adding a deleted (still held) resource keeps its holders; raising the remaining duration serves waiters.
        Resource raised = new Resource(resource.type, false, add.duration(), resource.waiting, resource.held);
        return changed(add.resourceId(), resource.deleted ? raised : raised.servingWaiters());
    }

    private Step remove(DermsCall.Remove remove) {
        Resource resource = existing(remove.resourceId());
        if (resource == null) {
            return failure();
        }
        if (remove.duration() < resource.remaining) {
            return changed(remove.resourceId(), new Resource(resource.type, false,
                    resource.remaining - remove.duration(), resource.waiting, resource.held));
        }
        return changed(remove.resourceId(), resource.held.isEmpty() ? null
                : new Resource(resource.type, true, 0, List.of(), resource.held));
    }

    private Step request(DermsCall.Request request) {
        Resource resource = existing(request.resourceId());
        if (resource == null || resource.waits(request.userId())) {
            return failure();
        }
        if (request.duration() <= resource.remaining) {
            return changed(request.resourceId(), resource.granting(request.userId(), request.duration()));
        }
        List<Waiter> waiting = new ArrayList<>(resource.waiting);
        waiting.add(new Waiter(request.userId(), request.duration()));
        return new Step(with(request.resourceId(), new Resource(resource.type, false, resource.remaining, waiting,
                resource.held)), new Outcome.Observed(Status.WAITLISTED, null));
    }

    private Step giveBack(DermsCall.Return giveBack) {
        Resource resource = resourcesById.get(giveBack.resourceId());
        if (resource == null || !resource.held.containsKey(giveBack.userId())) {
            return failure();
        }
        return changed(giveBack.resourceId(), resource.returnedBy(giveBack.userId()));
    }

    private Step swap(DermsCall.Swap swap) {
        String coordinator = swap.userId();
        Resource oldResource = resourcesById.get(swap.oldResourceId());
        Integer held = oldResource == null ? null : oldResource.held.get(coordinator);
        Resource newResource = existing(swap.newResourceId());
        if (swap.oldResourceId().equals(swap.newResourceId()) || held == null || oldResource.type != swap.oldType()
                || newResource == null || newResource.type != swap.newType() || newResource.remaining < held) {
            return failure();
        }
        TreeMap<String, Resource> next = new TreeMap<>(resourcesById);
        next.put(swap.newResourceId(), newResource.granting(coordinator, held));
        putOrRemove(next, swap.oldResourceId(), oldResource.returnedBy(coordinator));
        return new Step(new SequentialDerms(next), new Outcome.Observed(Status.SUCCESS, null));
    }

    private List<ResourceEntry> listing(ResourceType type) {
        List<ResourceEntry> entries = new ArrayList<>();
        resourcesById.forEach((id, resource) -> {
            if (!resource.deleted && resource.type == type) {
                entries.add(new ResourceEntry(id, type, resource.remaining));
            }
        });
        return entries;
    }

    private List<ResourceEntry> holdings(String coordinator, ResourceType type) {
        List<ResourceEntry> entries = new ArrayList<>();
        resourcesById.forEach((id, resource) -> {
            Integer held = resource.held.get(coordinator);
            if (held != null && resource.type == type) {
                entries.add(new ResourceEntry(id, type, held));
            }
        });
        return entries;
    }

    private Resource existing(String id) {
        Resource resource = resourcesById.get(id);
        return resource == null || resource.deleted ? null : resource;
    }

    private Step unchanged(Status status, List<ResourceEntry> resources) {
        return new Step(this, new Outcome.Observed(status, resources));
    }

    private Step failure() {
        return unchanged(Status.FAILURE, null);
    }

    /** SUCCESS, with the resource replaced (or removed when {@code resource} is null). */
    private Step changed(String id, Resource resource) {
        return new Step(with(id, resource), new Outcome.Observed(Status.SUCCESS, null));
    }

    private SequentialDerms with(String id, Resource resource) {
        TreeMap<String, Resource> next = new TreeMap<>(resourcesById);
        putOrRemove(next, id, resource);
        return new SequentialDerms(next);
    }

    private static void putOrRemove(Map<String, Resource> resources, String id, Resource resource) {
        if (resource == null) {
            resources.remove(id);
        } else {
            resources.put(id, resource);
        }
    }

    // The API carries durations as int; DermsState caps sums at Integer.MAX_VALUE instead of wrapping.
    private static int saturatedSum(int a, int b) {
        return (int) Math.min((long) a + b, Integer.MAX_VALUE);
    }

    /** A coordinator on a waiting list with the duration they asked for. */
    private record Waiter(String coordinatorId, int duration) {
    }

    /**
     * One resource. Never modified after construction (every change builds a new one); {@code waiting} is in FIFO
     * order and {@code held} in ascending coordinator order, so equality follows the canonical rendering.
     */
    private record Resource(ResourceType type, boolean deleted, int remaining, List<Waiter> waiting,
                            Map<String, Integer> held) {

        boolean waits(String coordinator) {
            return waiting.stream().anyMatch(waiter -> waiter.coordinatorId().equals(coordinator));
        }

        /** The resource after granting {@code duration} of it to the coordinator (which must fit). */
        Resource granting(String coordinator, int duration) {
            TreeMap<String, Integer> nextHeld = new TreeMap<>(held);
            nextHeld.merge(coordinator, duration, SequentialDerms::saturatedSum);
            return new Resource(type, deleted, remaining - duration, waiting, nextHeld);
        }

        /** The resource after the coordinator gave back the whole holding, or null when it disappears. */
        Resource returnedBy(String coordinator) {
            TreeMap<String, Integer> nextHeld = new TreeMap<>(held);
            int duration = nextHeld.remove(coordinator);
            if (deleted) {
                // The duration of a deleted resource is discarded; the last holder makes the resource disappear.
                return nextHeld.isEmpty() ? null : new Resource(type, true, 0, waiting, nextHeld);
            }
            return new Resource(type, false, saturatedSum(remaining, duration), waiting, nextHeld).servingWaiters();
        }

        /** Grants waiting requests in FIFO order while the head fits. */
        Resource servingWaiters() {
            int served = 0;
            int left = remaining;
            TreeMap<String, Integer> nextHeld = null;
            while (served < waiting.size() && waiting.get(served).duration() <= left) {
                Waiter head = waiting.get(served++);
                left -= head.duration();
                nextHeld = nextHeld == null ? new TreeMap<>(held) : nextHeld;
                nextHeld.merge(head.coordinatorId(), head.duration(), SequentialDerms::saturatedSum);
            }
            return served == 0 ? this
                    : new Resource(type, deleted, left, List.copyOf(waiting.subList(served, waiting.size())), nextHeld);
        }
    }
}
