package net.totalorder.replication.cdi;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a {@code @Replicated(readOnly = true)} method runs: {@code replication.reads}. Immutable.
 */
public enum ReadMode {
    /**
     * The default: linearizable without a log entry — it sees every call acknowledged before it began, anywhere in
     * the cluster (read index confirmed by a majority, then run on the local replica once it applied that far).
     */
    LINEARIZABLE("linearizable"),
    /** Ordered and applied by every server like a write (a log entry per read): for comparison. */
    ORDERED("ordered"),
    /**
     * Run at once on this server's replica, which may lag or sit on the minority side of a partition: may miss
     * calls acknowledged elsewhere. For reads that tolerate stale answers only.
     */
    LOCAL_STALE("local-stale");

    private final String key;

    ReadMode(String key) {
        this.key = key;
    }

    /** The configuration value naming this mode. */
    public String key() {
        return key;
    }

    /**
     * The mode a configuration value names.
     *
     * @throws IllegalArgumentException naming the known values, for anything else
     */
    public static ReadMode of(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.key.equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("replication.reads must be one of "
                        + Arrays.stream(values()).map(ReadMode::key).toList() + ", not '" + value + "'"));
    }
}
