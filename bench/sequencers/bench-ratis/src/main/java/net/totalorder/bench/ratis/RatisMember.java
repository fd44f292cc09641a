package net.totalorder.bench.ratis;

import net.totalorder.bench.member.MemberMain;

/**
 * Main class of a member process of system D, Apache Ratis: see {@link RatisCounterService}; runs on the main thread.
 */
public final class RatisMember {

    private RatisMember() {
    }

    public static void main(String[] args) {
        // before Ratis' first logger: its INFO lines (every configuration key it reads) would fill the member log
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // before the first CompletableFuture: on 2 cores the common pool's parallelism is 1, which makes every
        // ...Async stage without an executor (Ratis has several on its read and write paths) start a new thread
        System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "4");
        MemberMain.run(args, RatisCounterService::new);
    }
}
