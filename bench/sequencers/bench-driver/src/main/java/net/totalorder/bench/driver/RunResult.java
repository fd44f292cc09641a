package net.totalorder.bench.driver;

/**
 * The outcome of one run: one system at one client count, its three members together.
 *
 * @param system         the system
 * @param clients        the client thread count N
 * @param opsPerSecond   operations per second, summed over the members
 * @param p50Micros      median latency of an operation, in microseconds, over all members' operations
 * @param p99Micros      99th percentile latency, in microseconds
 * @param cpuMicrosPerOp the members' CPU time while measuring (all three JVMs, load threads included) over the
 *                       operations they completed, in microseconds: unlike ops/s, it does not depend on how much of
 *                       the machine the run got
 * @param errors         operations that failed while measuring
 * @param uniqueNumbers  how many numbers the members obtained in the whole run, all proven unique
 * @param failure        why the run failed, or null when it did not
 *
 * <p>Immutable; thread-safe.
 */
record RunResult(SystemUnderTest system, int clients, double opsPerSecond, long p50Micros, long p99Micros,
                 double cpuMicrosPerOp, long errors, long uniqueNumbers, String failure) {

    static RunResult failed(SystemUnderTest system, int clients, String failure) {
        return new RunResult(system, clients, 0, 0, 0, 0, 0, 0, failure);
    }

    boolean succeeded() {
        return failure == null;
    }
}
