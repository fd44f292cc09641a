package net.totalorder.replication.codec;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A method found to be replicated at deployment. {@code id} names it on the wire: the bean class and the method's
 * signature, the same on every server that deploys the same application. Immutable.
 */
public record ReplicatedMethod(String id, Class<?> beanClass, Method method, boolean readOnly) {

    public static String idOf(Class<?> beanClass, Method method) {
        return beanClass.getName() + "#" + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getTypeName).collect(Collectors.joining(",", "(", ")"));
    }
}
