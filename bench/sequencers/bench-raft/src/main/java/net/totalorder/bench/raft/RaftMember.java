package net.totalorder.bench.raft;

import net.totalorder.bench.member.MemberMain;

/**
 * Main class of a member process of system B, jgroups-raft: see {@link RaftCounterService}; runs on the main thread.
 */
public final class RaftMember {

    private RaftMember() {
    }

    public static void main(String[] args) {
        MemberMain.run(args, RaftCounterService::new);
    }
}
