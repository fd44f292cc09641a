package net.totalorder.replication.interceptor;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.interceptor.InterceptorBinding;

/**
 * Marks a method that MicroProfile Fault Tolerance may run more than once for one logical call (it carries
 * {@code @Retry}, or its class does). Not written by users: the deployment adds it wherever {@code @Retry} is, so
 * that {@link RetryBoundaryInterceptor} sees each attempt begin.
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RetryBoundary {

    /** The binding, for adding it to a type or method at deployment. */
    final class Literal extends AnnotationLiteral<RetryBoundary> implements RetryBoundary {
        private static final long serialVersionUID = 1L;
        public static final Literal INSTANCE = new Literal();
    }
}
