package net.totalorder.replication.beans;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import net.totalorder.replication.api.ReplicationUnavailableException;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * A caller up the stack of replicated calls, with MicroProfile Fault Tolerance as a user would put it there: each
 * attempt bounded by {@code @Timeout}, attempts that time out retried. Counts attempts (any thread).
 */
@ApplicationScoped
public class RetryingCaller {

    private final AtomicInteger attempts = new AtomicInteger();

    @Inject
    Ledger ledger;

    /** Appends {@code entry}; each attempt waits at most 300 ms for the reply. */
    @Timeout(300)
    @Retry(maxRetries = 40, delay = 50, jitter = 0, retryOn = {TimeoutException.class,
            ReplicationUnavailableException.class})
    public long append(String entry) {
        attempts.incrementAndGet();
        return ledger.append(entry, 1);
    }

    /** Appends {@code first} then {@code second}, in one attempt, as a method doing two replicated calls. */
    @Timeout(300)
    @Retry(maxRetries = 40, delay = 50, jitter = 0, retryOn = {TimeoutException.class,
            ReplicationUnavailableException.class})
    public long appendBoth(String first, String second) {
        attempts.incrementAndGet();
        ledger.append(first, 1);
        return ledger.append(second, 1);
    }

    public int attempts() {
        return attempts.get();
    }
}
