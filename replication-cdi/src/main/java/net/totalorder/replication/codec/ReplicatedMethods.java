package net.totalorder.replication.codec;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every replicated method of the application, by wire id and by {@link Method}. Only these methods can be
 * decoded from the wire, so an ordered payload can never name any other class or method.
 *
 * <p>Filled during deployment, read-only afterwards; thread-safe.
 */
public final class ReplicatedMethods {

    private final Map<String, ReplicatedMethod> byId = new ConcurrentHashMap<>();
    private final Map<Method, ReplicatedMethod> byMethod = new ConcurrentHashMap<>();

    public void add(ReplicatedMethod m) {
        byId.put(m.id(), m);
        byMethod.put(m.method(), m);
    }

    /** The replicated method with this wire id, or null. */
    public ReplicatedMethod byId(String id) {
        return byId.get(id);
    }

    /** The replicated method an interceptor was called for, or null. */
    public ReplicatedMethod of(Method method) {
        return byMethod.get(method);
    }

    public int size() {
        return byId.size();
    }
}
