package net.totalorder.replication.beans;

import java.io.InputStream;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;

import net.totalorder.replication.api.Replicated;
import net.totalorder.replication.api.ReplicatedState;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Beans that use {@code @Replicated} wrongly; each must fail the deployment with a message naming the method (or,
 * for a missing or unencodable {@link ReplicatedState}, the bean).
 */
public final class InvalidUses {

    private InvalidUses() {
    }

    @RequestScoped
    public static class RequestScopedBean {
        @Replicated
        public void change(String s) {
        }
    }

    @Dependent
    public static class DependentBean {
        @Replicated
        public void change(String s) {
        }
    }

    @ApplicationScoped
    public static class UnencodableParameter {
        @Replicated
        public void upload(InputStream data) {
        }
    }

    @ApplicationScoped
    public static class UnencodableReturn {
        @Replicated
        public Object anything(String s) {
            return s;
        }
    }

    @ApplicationScoped
    public static class RawCollection {
        @Replicated
        @SuppressWarnings("rawtypes")
        public void addAll(List items) {
        }
    }

    @ApplicationScoped
    public static class NonPublicMethod {
        @Replicated
        protected void change(String s) {
        }
    }

    @ApplicationScoped
    public static class NoState {
        @Replicated
        public void change(String s) {
        }
    }

    @ApplicationScoped
    public static class UnencodableState implements ReplicatedState<Object> {
        @Replicated
        public void change(String s) {
        }

        @Override
        public Object captureState() {
            return null;
        }

        @Override
        public void restoreState(Object state) {
        }
    }

    /** Also lacks a state; what matters is the Fault Tolerance annotation. */
    @ApplicationScoped
    public static class TimeoutOnReplicated {
        @Replicated
        @Timeout(100)
        public void change(String s) {
        }
    }

    /** Also lacks a state; what matters is the Fault Tolerance annotation. */
    @ApplicationScoped
    public static class RetryOnAnyException {
        @Replicated
        @Retry
        public void change(String s) {
        }
    }
}
