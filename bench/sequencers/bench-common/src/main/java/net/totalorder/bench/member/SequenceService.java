package net.totalorder.bench.member;

/**
 * A fault-tolerant sequence-number service as one member process of a 3-member cluster hosts it: this member's
 * part of the service, and a client of the service that the member's load threads share.
 *
 * <p>Threading: {@link #start} and {@link #membersSeen} are called by the member's main thread; {@link #next} is
 * called concurrently by every load thread of the member and must be thread-safe.
 */
public interface SequenceService {

    /** Joins the cluster; returns once this member runs, possibly before the other members have joined. */
    void start() throws Exception;

    /** How many of the configured members, this one included, this member currently sees in its cluster. */
    int membersSeen();

    /**
     * Obtains the next number from the service, blocking until it is known. Every number the service ever
     * returns, to any member, must be unique.
     *
     * @throws Exception when no number could be obtained (a timeout, no leader, a lost majority)
     */
    long next() throws Exception;

    /**
     * Reads the service's current value — the highest number it gave — linearizably: at least every number any
     * member obtained before this call began. Thread-safe as {@link #next}.
     *
     * @throws Exception when no value could be read (a timeout, no leader, a lost majority)
     */
    long read() throws Exception;
}
