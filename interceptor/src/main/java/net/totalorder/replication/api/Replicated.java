package net.totalorder.replication.api;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Every call of the annotated method (or of every public method of the annotated class), made on any server, is
 * applied by every server's replica of the bean in one total order, exactly once; the caller gets the reply of
 * that single execution, also when it retries with the same {@link IdempotencyKey} on another server.
 *
 * <p>Allowed on {@code @ApplicationScoped} CDI beans and {@code @Singleton} EJBs, on public methods whose
 * parameter and return types the invocation codec can encode; anything else fails the deployment with a message
 * naming the method. A replicated method must be deterministic: time, randomness and ids come from
 * {@link ReplicationContext}.
 */
@Inherited
@InterceptorBinding
@Documented
@Retention(RUNTIME)
@Target({TYPE, METHOD})
public @interface Replicated {

    /**
     * The method only reads. By default ({@code replication.reads=linearizable}) it takes no log entry: it runs on
     * the called server's replica, between two ordered invocations, once that replica applied every call
     * acknowledged before it began (a read index the primary confirms with a majority). {@code ordered} orders it
     * like a write; {@code local-stale} runs it at once on the local replica, which may miss recent calls.
     */
    @Nonbinding
    boolean readOnly() default false;
}
