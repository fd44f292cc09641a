package net.totalorder.replication.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which parameter and return types the invocation codec encodes: primitives and their wrappers, {@code String},
 * {@code BigDecimal}, {@code BigInteger}, {@code UUID}, the common {@code java.time} values, enums, records of
 * encodable components, public classes with a public no-argument constructor whose public fields are encodable,
 * arrays, {@code List}/{@code Set}/{@code Collection}/{@code Optional} of an encodable type, and {@code Map} with
 * {@code String} or enum keys. Not: {@code Object}, other interfaces and abstract classes, raw or wildcard generic
 * types, type variables — the codec must know the exact type to decode into. Stateless.
 */
public final class EncodableTypes {

    private static final Set<Class<?>> VALUES = Set.of(String.class, Boolean.class, Byte.class, Short.class,
            Integer.class, Long.class, Float.class, Double.class, Character.class, BigDecimal.class,
            BigInteger.class, UUID.class, Instant.class, LocalDate.class, LocalDateTime.class, LocalTime.class,
            OffsetDateTime.class, Duration.class);

    private EncodableTypes() {
    }

    /** Why {@code type} cannot be encoded, or null when it can. */
    public static String problem(Type type) {
        return problem(type, new HashSet<>());
    }

    private static String problem(Type type, Set<Type> visiting) {
        if (!visiting.add(type)) {
            return null;                      // a recursive type: checked on the way in
        }
        try {
            if (type instanceof Class<?> c) {
                return classProblem(c, visiting);
            }
            if (type instanceof ParameterizedType p) {
                Class<?> raw = (Class<?>) p.getRawType();
                Type[] args = p.getActualTypeArguments();
                if (raw == List.class || raw == Set.class || raw == Collection.class || raw == Optional.class) {
                    return problem(args[0], visiting);
                }
                if (raw == Map.class) {
                    if (args[0] != String.class && !(args[0] instanceof Class<?> k && k.isEnum())) {
                        return "a Map key must be String or an enum, not " + args[0].getTypeName();
                    }
                    return problem(args[1], visiting);
                }
                return "the generic type " + p.getTypeName() + " is not one the codec knows";
            }
            if (type instanceof GenericArrayType g) {
                return problem(g.getGenericComponentType(), visiting);
            }
            if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
                return "the type " + type.getTypeName() + " is not fixed at deployment";
            }
            return "the type " + type.getTypeName() + " is not supported";
        } finally {
            visiting.remove(type);
        }
    }

    private static String classProblem(Class<?> c, Set<Type> visiting) {
        if (c.isPrimitive() || VALUES.contains(c) || c.isEnum()) {
            return null;
        }
        if (c.isArray()) {
            return problem(c.getComponentType(), visiting);
        }
        if (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c) || c == Optional.class) {
            return c.getSimpleName() + " without its element type";
        }
        if (c == Object.class) {
            return "Object does not say what to decode";
        }
        if (c.isInterface() || Modifier.isAbstract(c.getModifiers())) {
            return c.getName() + " is an interface or abstract class";
        }
        if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                String p = problem(rc.getGenericType(), visiting);
                if (p != null) {
                    return "record component " + c.getSimpleName() + "." + rc.getName() + ": " + p;
                }
            }
            return null;
        }
        if (!Modifier.isPublic(c.getModifiers())) {
            return c.getName() + " is not public";
        }
        Constructor<?> noArgs;
        try {
            noArgs = c.getConstructor();
        } catch (NoSuchMethodException e) {
            return c.getName() + " has no public no-argument constructor";
        }
        if (noArgs == null) {
            return c.getName() + " has no public no-argument constructor";
        }
        for (Field f : c.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                String p = problem(f.getGenericType(), visiting);
                if (p != null) {
                    return "field " + c.getSimpleName() + "." + f.getName() + ": " + p;
                }
            }
        }
        return null;
    }
}
