package net.totalorder.bench.ours;

import net.totalorder.bench.member.MemberMain;

/** Main class of a member process of system A, OURS: see {@link OursService}; runs on the main thread. */
public final class OursMember {

    private OursMember() {
    }

    public static void main(String[] args) {
        MemberMain.run(args, OursService::new);
    }
}
