package net.totalorder.bench.protocol;

/**
 * The line protocol between the driver and a member process. The driver writes commands, one a line, to the
 * member's standard input; the member answers with lines on its standard output that start with {@link #PREFIX}
 * (any other line there, such as a JVM warning, is not part of the protocol). A member that reaches the end of its
 * standard input halts at once: the driver stops members by closing it, and a member whose driver died stops too.
 *
 * <pre>
 * member: BENCH READY                 it sees all members and has obtained a first number
 * driver: START                       start the load threads (warm-up: nothing is recorded)
 * driver: MEASURE                     record from now on
 * driver: STOP                        stop recording and the load threads, write the numbers file
 * member: BENCH RESULT ops=...        see {@link MemberResult}
 * member: BENCH FAILED reason         at any time; the member then halts
 * </pre>
 *
 * <p>Constants only.
 */
public final class Protocol {

    public static final String PREFIX = "BENCH ";
    public static final String READY = PREFIX + "READY";
    public static final String RESULT = PREFIX + "RESULT ";
    public static final String FAILED = PREFIX + "FAILED ";

    public static final String START = "START";
    public static final String MEASURE = "MEASURE";
    public static final String STOP = "STOP";

    private Protocol() {
    }
}
