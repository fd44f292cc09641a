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
        MemberMain.run(args, RatisCounterService::new);
    }
}
