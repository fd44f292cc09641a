package net.totalorder.bench.ispn;

import net.totalorder.bench.member.MemberMain;

/**
 * Main class of a member process of system C, the Infinispan clustered counter: see {@link IspnCounterService};
 * runs on the main thread.
 */
public final class IspnMember {

    private IspnMember() {
    }

    public static void main(String[] args) {
        MemberMain.run(args, IspnCounterService::new);
    }
}
