package net.totalorder.replication.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import net.totalorder.replication.api.ReplicatedState;

/**
 * Every bean with replicated methods, by class name, with the type {@code S} of its {@link ReplicatedState}: what a
 * snapshot holds, in this order. Filled during deployment, read-only afterwards; thread-safe.
 */
public final class ReplicatedBeans {

    /** A bean whose state a snapshot holds. */
    public record Bean(Class<?> beanClass, Type stateType) {
    }

    private final Map<String, Bean> byName = new ConcurrentSkipListMap<>();

    public void add(Bean bean) {
        byName.put(bean.beanClass().getName(), bean);
    }

    /** The beans in class-name order. */
    public Iterable<Bean> all() {
        return byName.values();
    }

    public Bean byName(String className) {
        return byName.get(className);
    }

    public int size() {
        return byName.size();
    }

    /**
     * The {@code S} of {@code ReplicatedState<S>} as {@code beanClass} implements it (directly or through a
     * superclass), or null when it does not, or leaves {@code S} open.
     */
    public static Type stateTypeOf(Class<?> beanClass) {
        for (Class<?> c = beanClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == ReplicatedState.class) {
                    Type s = p.getActualTypeArguments()[0];
                    return s instanceof Class<?> || s instanceof ParameterizedType ? s : null;
                }
            }
        }
        return null;
    }
}
