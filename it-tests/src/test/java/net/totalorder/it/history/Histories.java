package net.totalorder.it.history;

import java.util.Arrays;
import java.util.List;
import net.totalorder.derms.domain.ResourceEntry;

/**
 * Compact construction of test histories through the public factories: calls are written as
 * {@code "requestResource QUEC1111 MTL1001 6"} and times in milliseconds. Stateless.
 */
final class Histories {

    private Histories() {
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }

    static List<DermsCall> setup(String... calls) {
        return Arrays.stream(calls).map(Histories::call).toList();
    }

    static DermsCall call(String text) {
        String[] words = text.split(" ");
        return DermsCall.of(words[0], Arrays.copyOfRange(words, 1, words.length));
    }

    /** An operation with a known result and no resource list. */
    static Operation op(String client, long invokeMs, long responseMs, String call, String status) {
        String[] words = call.split(" ");
        return Operation.of(client, ms(invokeMs), ms(responseMs), words[0],
                List.of(words).subList(1, words.length), status, null);
    }

    /** A successful listing or find; each entry is written {@code "MTL1001 AMBULANCE 4"}. */
    static Operation listed(String client, long invokeMs, long responseMs, String call, String... entries) {
        String[] words = call.split(" ");
        List<ResourceEntry> resources = Arrays.stream(entries).map(entry -> entry.split(" "))
                .map(parts -> Outcome.entry(parts[0], parts[1], Integer.parseInt(parts[2]))).toList();
        return Operation.of(client, ms(invokeMs), ms(responseMs), words[0],
                List.of(words).subList(1, words.length), "SUCCESS", resources);
    }

    /** An operation whose client gave up at {@code gaveUpMs}. */
    static Operation unknown(String client, long invokeMs, long gaveUpMs, String call) {
        String[] words = call.split(" ");
        return Operation.unknown(client, ms(invokeMs), ms(gaveUpMs), words[0], List.of(words).subList(1, words.length));
    }
}
