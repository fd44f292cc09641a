package net.totalorder.bench.driver;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The three sequence-number services compared, each with the module whose runnable jar is its member process and
 * the first of its three JGroups TCP ports. The port ranges are far apart (FD_SOCK2 also listens, at TCP port
 * + 100) and away from the local cluster (7800-7802, 7900-7902), so that a leftover member of one system can
 * never join another's run.
 *
 * <p>Immutable; thread-safe.
 */
enum SystemUnderTest {

    OURS("OURS", "ours", "bench-ours", 27800),
    RAFT("jgroups-raft", "raft", "bench-raft", 27810),
    ISPN("infinispan-counter", "ispn", "bench-ispn", 27820);

    /** How the report names the system. */
    final String label;
    /** How --systems names it. */
    final String key;
    final String module;
    final int firstPort;

    SystemUnderTest(String label, String key, String module, int firstPort) {
        this.label = label;
        this.key = key;
        this.module = module;
        this.firstPort = firstPort;
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
                        "unknown system '" + key + "'; known: ours, raft, ispn"));
    }
}
