package net.totalorder.replication.cdi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.NormalScope;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.literal.SingletonLiteral;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.inject.spi.configurator.AnnotatedTypeConfigurator;
import jakarta.decorator.Decorator;
import jakarta.inject.Scope;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InterceptorBinding;

import net.totalorder.replication.api.Replicated;
import net.totalorder.replication.api.ReplicatedState;
import net.totalorder.replication.api.ReplicationUnavailableException;
import net.totalorder.replication.codec.EncodableTypes;
import net.totalorder.replication.codec.ReplicatedBeans;
import net.totalorder.replication.codec.ReplicatedMethod;
import net.totalorder.replication.codec.ReplicatedMethods;
import net.totalorder.replication.interceptor.CallLedger;
import net.totalorder.replication.interceptor.RetryBoundary;

/**
 * Finds every {@link Replicated} method at deployment, and fails the deployment — naming the method and what is
 * wrong — when one cannot be replicated: the bean is not {@code @ApplicationScoped} or a {@code @Singleton} EJB
 * (a server must hold exactly one replica of it), the method is not public or is static, or a parameter or the
 * return type is one the invocation codec cannot encode ({@link EncodableTypes}), or the bean does not implement
 * {@link ReplicatedState} with a state type the codec can encode (without it no snapshot could hold the bean's state,
 * the log could never be compacted, and a server that catches up by snapshot would lose it), or the method carries
 * MicroProfile Fault Tolerance other than {@code @Retry} on {@link ReplicationUnavailableException}. Marks every
 * {@code @Retry} method with {@link RetryBoundary}, and adds {@link ReplicationMetrics} where MicroProfile Metrics is.
 *
 * <p>Container lifecycle events arrive on one thread; {@link #methods()} is read-only after deployment.
 */
public class ReplicatedExtension implements Extension {

    private static final String EJB_SINGLETON = "jakarta.ejb.Singleton";
    private static final String FAULT_TOLERANCE = "org.eclipse.microprofile.faulttolerance.";
    private static final String RETRY = FAULT_TOLERANCE + "Retry";
    private static final String METRIC_REGISTRY = "org.eclipse.microprofile.metrics.MetricRegistry";

    private final ReplicatedMethods methods = new ReplicatedMethods();
    private final ReplicatedBeans beans = new ReplicatedBeans();
    private final List<String> problems = new ArrayList<>();

    /**
     * Adds {@link RetryBoundary} wherever MicroProfile Fault Tolerance's {@code @Retry} is, so that a retried
     * attempt makes its replicated calls again under the same request ids (see {@link CallLedger}). By name: the
     * Fault Tolerance API is only there when the server has the feature; its annotations are interceptor bindings.
     */
    /**
     * Adds {@link ReplicationMetrics} as a singleton bean when the server has MicroProfile Metrics (its API
     * is visible): without it the class could not even be loaded, so it carries no bean-defining annotation.
     */
    void addMetricsWhenAvailable(@Observes BeforeBeanDiscovery event) {
        try {
            Class.forName(METRIC_REGISTRY, false, ReplicatedExtension.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError noMetrics) {
            return;
        }
        // @Singleton, not @ApplicationScoped: no client proxy, so the metrics are registered when the binding
        // obtains it at start (a backup would otherwise show none until its first call) and each event is a plain call
        event.addAnnotatedType(ReplicationMetrics.class, ReplicationMetrics.class.getName())
                .add(SingletonLiteral.INSTANCE);
    }

    <T> void markRetriedMethods(@Observes @WithAnnotations(InterceptorBinding.class) ProcessAnnotatedType<T> event) {
        AnnotatedType<T> type = event.getAnnotatedType();
        boolean onClass = annotatedWith(type.getAnnotations(), RETRY) != null;
        boolean onMethod = type.getMethods().stream().anyMatch(m -> annotatedWith(m.getAnnotations(), RETRY) != null);
        if (!onClass && !onMethod) {
            return;
        }
        AnnotatedTypeConfigurator<T> configure = event.configureAnnotatedType();
        if (onClass) {
            configure.add(RetryBoundary.Literal.INSTANCE);
        } else {
            configure.filterMethods(m -> annotatedWith(m.getAnnotations(), RETRY) != null)
                    .forEach(m -> m.add(RetryBoundary.Literal.INSTANCE));
        }
    }

    <T> void findReplicatedMethods(@Observes @WithAnnotations(Replicated.class) ProcessAnnotatedType<T> event) {
        AnnotatedType<T> type = event.getAnnotatedType();
        if (type.isAnnotationPresent(Interceptor.class) || type.isAnnotationPresent(Decorator.class)) {
            return;                           // the binding on an interceptor names what it intercepts
        }
        Class<T> beanClass = type.getJavaClass();
        Replicated onClass = type.getAnnotation(Replicated.class);
        String scopeProblem = scopeProblem(type);
        boolean anyReplicated = false;
        for (AnnotatedMethod<? super T> am : type.getMethods()) {
            Method method = am.getJavaMember();
            Replicated onMethod = am.getAnnotation(Replicated.class);
            boolean replicated = onMethod != null
                    || (onClass != null && method.getDeclaringClass() == beanClass && !method.isSynthetic()
                    && Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers()));
            if (!replicated) {
                continue;
            }
            anyReplicated = true;
            String name = beanClass.getName() + "." + method.getName() + signature(method);
            List<String> wrong = new ArrayList<>();
            if (scopeProblem != null) {
                wrong.add(scopeProblem);
            }
            if (!Modifier.isPublic(method.getModifiers())) {
                wrong.add("it is not public");
            }
            if (Modifier.isStatic(method.getModifiers())) {
                wrong.add("it is static");
            }
            faultToleranceProblem(am.getAnnotations(), "it").ifPresent(wrong::add);
            faultToleranceProblem(type.getAnnotations(), "its class").ifPresent(wrong::add);
            Type[] params = method.getGenericParameterTypes();
            for (int i = 0; i < params.length; i++) {
                String p = EncodableTypes.problem(params[i]);
                if (p != null) {
                    wrong.add("parameter " + (i + 1) + " (" + params[i].getTypeName()
                            + ") cannot be encoded: " + p);
                }
            }
            if (method.getReturnType() != void.class) {
                String p = EncodableTypes.problem(method.getGenericReturnType());
                if (p != null) {
                    wrong.add("the return type " + method.getGenericReturnType().getTypeName()
                            + " cannot be encoded: " + p);
                }
            }
            if (wrong.isEmpty()) {
                boolean readOnly = (onMethod != null ? onMethod : onClass).readOnly();
                methods.add(new ReplicatedMethod(ReplicatedMethod.idOf(beanClass, method), beanClass, method,
                        readOnly));
            } else {
                problems.add("@Replicated method " + name + " cannot be replicated: " + String.join("; ", wrong));
            }
        }
        if (anyReplicated) {
            java.lang.reflect.Type state = ReplicatedBeans.stateTypeOf(beanClass);
            String p = state == null ? null : EncodableTypes.problem(state);
            if (state == null) {
                problems.add("bean " + beanClass.getName() + " has @Replicated methods but does not implement "
                        + "ReplicatedState<S> with a concrete state type S: snapshots must be able to capture and "
                        + "restore its state");
            } else if (p != null) {
                problems.add("bean " + beanClass.getName() + " implements ReplicatedState<" + state.getTypeName()
                        + ">, but that state type cannot be encoded: " + p);
            } else {
                beans.add(new ReplicatedBeans.Bean(beanClass, state));
            }
        }
    }

    void failDeploymentOnProblems(@Observes AfterDeploymentValidation event) {
        for (String problem : problems) {
            event.addDeploymentProblem(new DeploymentException(problem));
        }
    }

    /** The replicated methods found. */
    public ReplicatedMethods methods() {
        return methods;
    }

    /** The beans with replicated methods, and their state types. */
    public ReplicatedBeans beans() {
        return beans;
    }

    /**
     * Fault Tolerance on a replicated method also acts where the call is applied, on every server, by each server's
     * own clock and counters: a {@code @Timeout} that fires on one replica and not on another makes them differ.
     * Only {@code @Retry} on {@link ReplicationUnavailableException} is harmless there (applying never throws it).
     */
    private static Optional<String> faultToleranceProblem(Set<Annotation> annotations, String where) {
        for (Annotation a : annotations) {
            String name = a.annotationType().getName();
            if (!name.startsWith(FAULT_TOLERANCE)) {
                continue;
            }
            String simple = "@" + a.annotationType().getSimpleName();
            if (!name.equals(RETRY)) {
                return Optional.of(where + " has " + simple + ", which would also act where the call is applied, "
                        + "on every server by its own clock, so replicas could differ; put it on the caller");
            }
            for (Class<?> retried : retryOn(a)) {
                if (!ReplicationUnavailableException.class.isAssignableFrom(retried)) {
                    return Optional.of(where + " has @Retry on " + retried.getName() + ", which would retry "
                            + "the application of the call on every server; retry only on "
                            + "ReplicationUnavailableException here, or put @Retry on the caller");
                }
            }
        }
        return Optional.empty();
    }

    private static Class<?>[] retryOn(Annotation retry) {
        try {
            return (Class<?>[]) retry.annotationType().getMethod("retryOn").invoke(retry);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read retryOn of " + retry, e);
        }
    }

    private static Annotation annotatedWith(Set<Annotation> annotations, String name) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(name)) {
                return a;
            }
        }
        return null;
    }

    private static String scopeProblem(AnnotatedType<?> type) {
        if (type.isAnnotationPresent(ApplicationScoped.class)) {
            return null;
        }
        String scope = "@Dependent (no scope)";
        for (Annotation a : type.getAnnotations()) {
            Class<? extends Annotation> at = a.annotationType();
            if (at.getName().equals(EJB_SINGLETON)) {
                return null;
            }
            if (at.isAnnotationPresent(NormalScope.class) || at.isAnnotationPresent(Scope.class)) {
                scope = "@" + at.getSimpleName();
            }
        }
        return "its bean is " + scope + "; it must be @ApplicationScoped or a @Singleton EJB, so that each server "
                + "holds exactly one replica of it";
    }

    private static String signature(Method m) {
        StringBuilder s = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append(p.getSimpleName());
        }
        return s.append(')').toString();
    }
}
