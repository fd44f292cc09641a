package net.totalorder.sequencer.simulation;

import java.util.ArrayDeque;

/**
 * What happened in a simulated run: a running 64-bit hash over every event (to show that a seed always produces
 * the same run) and the last {@value #KEPT} events, rendered only when a failure is reported.
 *
 * <p>Everything hashed is deterministic (times, names, encoded message bytes), never identity hash codes.
 * Single-threaded.
 */
final class Trace {

    static final int KEPT = Integer.getInteger("trace.kept", 200);

    private final ArrayDeque<Object[]> recent = new ArrayDeque<>(KEPT);
    private long hash = 0xcbf29ce484222325L;

    void record(long time, String event) {
        mix(time);
        mix(event.hashCode());
        keep(new Object[] {time, event});
    }

    void recordMessage(long time, String from, String to, Object message, int bytesHash) {
        mix(time);
        mix(from.hashCode());
        mix(to.hashCode());
        mix(bytesHash);
        keep(new Object[] {time, from, to, message});
    }

    long hash() {
        return hash;
    }

    String recent() {
        StringBuilder out = new StringBuilder();
        for (Object[] e : recent) {
            out.append("  t=").append(e[0]).append(' ');
            if (e.length == 2) {
                out.append(e[1]);
            } else {
                String m = String.valueOf(e[3]);
                out.append(e[1]).append("->").append(e[2]).append(' ')
                        .append(m.length() > 200 ? m.substring(0, 200) + "…" : m);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private void keep(Object[] event) {
        if (recent.size() == KEPT) {
            recent.pollFirst();
        }
        recent.addLast(event);
    }

    private void mix(long value) {
        hash ^= value;
        hash *= 0x100000001b3L;
    }
}
