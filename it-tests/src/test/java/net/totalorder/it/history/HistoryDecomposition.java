package net.totalorder.it.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.totalorder.derms.domain.ResourceType;

/**
 * Splits a history into independent parts that can be checked one by one (P-compositionality, Horn and Kroening
 * 2015, which rests on the locality of linearizability, Herlihy and Wing 1990).
 *
 * <p>Why it is sound: the DERMS state is a product of per-resource states (type, existence, remaining duration,
 * waiting list, holdings). Every call reads and writes only the resources in its <em>footprint</em>, and every
 * resource outside it is unchanged. If the resources fall into groups such that no footprint spans two groups, each
 * group is an independent object, and the whole history is linearizable exactly when the sub-history of every group
 * is, each started from the initial state restricted to its resources. The footprints, over-approximated from the
 * whole history so that they hold in every order the search could choose:
 * <ul>
 *   <li>{@code addResource}, {@code removeResource}, {@code requestResource}, {@code returnResource}: the named
 *       resource (a coordinator's holding and waiting entry are part of the resource's state).</li>
 *   <li>{@code swapResource}: the old and the new resource.</li>
 *   <li>{@code listResourceAvailability(type)}: every resource that can ever have that type. A resource's type is set
 *       only when it is created, so its possible types are its type in the initial state and the type of every
 *       {@code addResource} of its ID in the history. All listings of one type go to one part.</li>
 *   <li>{@code findResource(coordinator, type)}: every resource of a possible type {@code type} that the coordinator
 *       can ever hold. A holding comes only from a granted request, a served waiting-list entry (which comes from a
 *       request or the initial state) or the new side of a swap, so these are the resources the coordinator holds
 *       or waits for initially and those it names in a {@code requestResource} or as the new resource of a
 *       {@code swapResource}. A find whose footprint is empty (always an empty list) is a part of its own, together
 *       with the other finds of the same coordinator and type.</li>
 * </ul>
 * Outcomes are not used to narrow footprints (an UNKNOWN call may have taken effect, and a recorded outcome may be
 * the very thing that is wrong). Stateless; safe to share between threads.
 */
final class HistoryDecomposition {

    /** Operations that only interact with each other, in history order, and the initial state of their resources. */
    record Part(List<Operation> operations, SequentialDerms initialState) {
    }

    private HistoryDecomposition() {
    }

    static List<Part> split(SequentialDerms initialState, List<Operation> history) {
        Map<String, Set<ResourceType>> possibleTypes = possibleTypes(initialState, history);
        Map<String, Set<String>> holdableByCoordinator = holdableResources(initialState, history);
        Groups groups = new Groups();
        List<String> groupKeyOfOperation = new ArrayList<>();
        for (Operation operation : history) {
            DermsCall call = operation.call();
            Set<String> footprint = new HashSet<>(call.namedResourceIds());
            String key;
            if (call instanceof DermsCall.ListAvailability list) {
                key = "listing " + list.type();
                possibleTypes.forEach((id, types) -> {
                    if (types.contains(list.type())) {
                        footprint.add(id);
                    }
                });
            } else if (call instanceof DermsCall.Find find) {
                key = "find " + find.userId() + " " + find.type();
                for (String id : holdableByCoordinator.getOrDefault(find.userId(), Set.of())) {
                    if (possibleTypes.getOrDefault(id, Set.of()).contains(find.type())) {
                        footprint.add(id);
                    }
                }
            } else {
                key = "resource " + footprint.iterator().next();
            }
            for (String id : footprint) {
                groups.union(key, "resource " + id);
            }
            groupKeyOfOperation.add(key);
        }

        Map<String, List<Operation>> operationsByGroup = new LinkedHashMap<>();
        for (int i = 0; i < history.size(); i++) {
            operationsByGroup.computeIfAbsent(groups.find(groupKeyOfOperation.get(i)), group -> new ArrayList<>())
                    .add(history.get(i));
        }
        Map<String, List<String>> resourcesByGroup = new HashMap<>();
        for (String id : possibleTypes.keySet()) {
            resourcesByGroup.computeIfAbsent(groups.find("resource " + id), group -> new ArrayList<>()).add(id);
        }
        List<Part> parts = new ArrayList<>();
        operationsByGroup.forEach((group, operations) -> parts.add(new Part(List.copyOf(operations),
                initialState.restrictedTo(resourcesByGroup.getOrDefault(group, List.of())))));
        return parts;
    }

    private static Map<String, Set<ResourceType>> possibleTypes(SequentialDerms initialState,
                                                                List<Operation> history) {
        Map<String, Set<ResourceType>> types = new HashMap<>();
        for (String id : initialState.resourceIds()) {
            types.computeIfAbsent(id, key -> new HashSet<>()).add(initialState.typeOf(id));
        }
        for (Operation operation : history) {
            if (operation.call() instanceof DermsCall.Add add) {
                types.computeIfAbsent(add.resourceId(), key -> new HashSet<>()).add(add.type());
            }
        }
        return types;
    }

    private static Map<String, Set<String>> holdableResources(SequentialDerms initialState, List<Operation> history) {
        Map<String, Set<String>> holdable = new HashMap<>();
        for (Operation operation : history) {
            DermsCall call = operation.call();
            if (call instanceof DermsCall.Request request) {
                holdable.computeIfAbsent(call.userId(), key -> new HashSet<>()).add(request.resourceId());
            } else if (call instanceof DermsCall.Swap swap) {
                holdable.computeIfAbsent(call.userId(), key -> new HashSet<>()).add(swap.newResourceId());
            }
        }
        Set<String> findingCoordinators = new HashSet<>();
        for (Operation operation : history) {
            if (operation.call() instanceof DermsCall.Find find && findingCoordinators.add(find.userId())) {
                for (String id : initialState.resourceIds()) {
                    if (initialState.involves(find.userId(), id)) {
                        holdable.computeIfAbsent(find.userId(), key -> new HashSet<>()).add(id);
                    }
                }
            }
        }
        return holdable;
    }

    /** Union-find over group keys; path halving keeps it near-linear. Confined to one {@link #split} call. */
    private static final class Groups {
        private final Map<String, String> parent = new HashMap<>();

        String find(String key) {
            String current = key;
            String up = parent.getOrDefault(current, current);
            while (!up.equals(current)) {
                String grandparent = parent.getOrDefault(up, up);
                parent.put(current, grandparent);
                current = grandparent;
                up = parent.getOrDefault(current, current);
            }
            return current;
        }

        void union(String a, String b) {
            String rootA = find(a);
            String rootB = find(b);
            if (!rootA.equals(rootB)) {
                parent.put(rootA, rootB);
            }
        }
    }
}
