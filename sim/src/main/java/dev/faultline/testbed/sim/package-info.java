/**
 * The deterministic simulator behind {@code faultline sim}: a Raft cluster of pure cores driven by
 * the production {@code ReadyLoop} over the store's state machine, with a simulated clock, network
 * and disks, the nemesis module's grudges and the workloads module's generators, in one thread, all
 * drawn from one seed; safety checked continuously, liveness after healing, and the client history
 * checked for linearizability.
 */
package dev.faultline.testbed.sim;
