package net.totalorder.bench.member;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What one member process is told on its command line by the driver, e.g.
 * {@code --index 1 --ports 27800,27801,27802 --cluster bench-ours-n4 --clients 2 --numbers /tmp/m1.numbers}.
 * Members are named {@code m0, m1, ...} in the order of their ports; member {@code i} listens on port {@code i}.
 *
 * @param index       this member's position in {@code ports}
 * @param ports       the JGroups TCP port of every member, on 127.0.0.1
 * @param cluster     the JGroups cluster name, unique to one run
 * @param clients     how many load threads this member runs
 * @param numbersFile where this member writes every number it obtained, sorted, when the run ends
 * @param storage     durable mode: the empty directory where this member keeps its log (with fsync), or null for a
 *                    log in memory ({@code --storage DIR}, optional)
 * @param reads       the load reads the service's value (linearizably) instead of taking numbers
 *                    ({@code --reads true}, optional)
 *
 * <p>Immutable; thread-safe.
 */
public record MemberOptions(int index, List<Integer> ports, String cluster, int clients, Path numbersFile,
                            Path storage, boolean reads) {

    /** A member with its log in memory, taking numbers. */
    public MemberOptions(int index, List<Integer> ports, String cluster, int clients, Path numbersFile) {
        this(index, ports, cluster, clients, numbersFile, null, false);
    }

    /** A member taking numbers. */
    public MemberOptions(int index, List<Integer> ports, String cluster, int clients, Path numbersFile,
                         Path storage) {
        this(index, ports, cluster, clients, numbersFile, storage, false);
    }

    public MemberOptions {
        ports = List.copyOf(ports);
        if (index < 0 || index >= ports.size()) {
            throw new IllegalArgumentException("--index " + index + " is not a position in --ports " + ports);
        }
        if (clients < 0) {
            throw new IllegalArgumentException("--clients must not be negative, was " + clients);
        }
    }

    /** The options on a member's command line; fails naming the missing or malformed option. */
    public static MemberOptions parse(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(args));
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            values.put(args[i], args[i + 1]);
        }
        List<Integer> ports = new ArrayList<>();
        for (String port : required(values, "--ports").split(",")) {
            ports.add(Integer.parseInt(port.trim()));
        }
        return new MemberOptions(Integer.parseInt(required(values, "--index")), ports,
                required(values, "--cluster"), Integer.parseInt(required(values, "--clients")),
                Path.of(required(values, "--numbers")), values.containsKey("--storage")
                ? Path.of(values.get("--storage")) : null, Boolean.parseBoolean(values.getOrDefault("--reads",
                "false")));
    }

    /** This member's command line, the inverse of {@link #parse}. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--index", Integer.toString(index),
                "--ports", ports.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--cluster", cluster, "--clients", Integer.toString(clients), "--numbers", numbersFile.toString()));
        if (storage != null) {
            args.addAll(List.of("--storage", storage.toString()));
        }
        if (reads) {
            args.addAll(List.of("--reads", "true"));
        }
        return List.copyOf(args);
    }

    /** Every member's name, in port order. */
    public List<String> members() {
        return IntStream.range(0, ports.size()).mapToObj(MemberOptions::memberName).toList();
    }

    /** This member's name. */
    public String self() {
        return memberName(index);
    }

    /** This member's JGroups TCP port. */
    public int port() {
        return ports.get(index);
    }

    /** The TCPPING initial hosts: every member's address, {@code 127.0.0.1[port],...}. */
    public String initialHosts() {
        return ports.stream().map(p -> "127.0.0.1[" + p + "]").collect(Collectors.joining(","));
    }

    private static String memberName(int index) {
        return "m" + index;
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing option " + name);
        }
        return value;
    }
}
