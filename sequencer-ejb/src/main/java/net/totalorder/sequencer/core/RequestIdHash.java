package net.totalorder.sequencer.core;

/**
 * The 64-bit hash of a request id, the same on every JVM (snapshots carry it): FNV-1a over the UTF-16 code units,
 * then the SplitMix64 finaliser, so that every bit depends on every character. Stateless.
 */
public final class RequestIdHash {

    private RequestIdHash() {
    }

    public static long of(String reqId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < reqId.length(); i++) {
            h ^= reqId.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
