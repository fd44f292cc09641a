package net.totalorder.bench.driver;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The sequence-number services compared (three of them also in durable mode and with reads), each with the module
 * whose runnable jar is its member process and the first of its three ports (JGroups TCP, or Ratis' gRPC). The port
 * ranges are far apart (FD_SOCK2 also listens, at TCP port + 100) and away from the local cluster (7800-7802,
 * 7900-7902), so that a leftover member of one system can never join another's run.
 *
 * <p>Immutable; thread-safe.
 */
enum SystemUnderTest {

    OURS("OURS", "ours", "bench-ours", 27800, false, false),
    RAFT("jgroups-raft", "raft", "bench-raft", 27810, false, false),
    ISPN("infinispan-counter", "ispn", "bench-ispn", 27820, false, false),
    /** OURS with each member's log in files, every WriteMaj batch forced to disk before it is acknowledged. */
    OURS_DURABLE("OURS durable", "ours-durable", "bench-ours", 27830, true, false),
    /** jgroups-raft with its {@code FileBasedLog} and {@code log_use_fsync=true}. */
    RAFT_DURABLE("jgroups-raft durable", "raft-durable", "bench-raft", 27840, true, false),
    /** OURS with the servers' mutual TLS 1.3 on the channel: what TLS costs (the others run in plain text). */
    OURS_TLS("OURS TLS", "ours-tls", "bench-ours", 27850, false, true),
    /** OURS, each operation a linearizable read without a log entry (read index confirmed by a majority). */
    OURS_READS("OURS reads", "ours-reads", "bench-ours", 27860, false, false, true),
    /** jgroups-raft, each operation the counter's linearizable {@code get()} (a command through the log). */
    RAFT_READS("jgroups-raft reads", "raft-reads", "bench-raft", 27870, false, false, true),
    /** Apache Ratis (gRPC), its log in memory; a counter state machine. */
    RATIS("Apache Ratis", "ratis", "bench-ratis", 28000, false, false),
    /** Apache Ratis with its segmented log files, each flush forced to disk. */
    RATIS_DURABLE("Apache Ratis durable", "ratis-durable", "bench-ratis", 28010, true, false),
    /** Apache Ratis, each operation a linearizable read-only query (ReadIndex) on the member's own server. */
    RATIS_READS("Apache Ratis reads", "ratis-reads", "bench-ratis", 28020, false, false, true);

    /** How the report names the system. */
    final String label;
    /** How --systems names it. */
    final String key;
    final String module;
    final int firstPort;
    /** Each member keeps its log on disk, with fsync (a fresh directory per run). */
    final boolean durable;
    /** The members talk mutual TLS, with keys made for the run by liberty-config/tls/member-keys. */
    final boolean tls;
    /** Each operation reads the value instead of taking a number (only the members' first numbers are checked). */
    final boolean reads;

    SystemUnderTest(String label, String key, String module, int firstPort, boolean durable, boolean tls) {
        this(label, key, module, firstPort, durable, tls, false);
    }

    SystemUnderTest(String label, String key, String module, int firstPort, boolean durable, boolean tls,
                    boolean reads) {
        this.label = label;
        this.key = key;
        this.module = module;
        this.firstPort = firstPort;
        this.durable = durable;
        this.tls = tls;
        this.reads = reads;
    }

    /** The member jar under the bench project's root directory. */
    Path memberJar(Path benchRoot) {
        return benchRoot.resolve(module).resolve("target").resolve(module + ".jar");
    }

    /** The system a --systems entry names. */
    static SystemUnderTest byKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.key.equals(k)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown system '" + key + "'; known: " + Arrays.stream(values()).map(s -> s.key).toList()));
    }
}
