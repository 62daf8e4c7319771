/**
 * The deterministic simulator behind {@code faultline sim}: a Raft cluster of pure cores with the
 * production ready loop, simulated clock, network, disks, faults and clients in one thread, all
 * drawn from one seed; safety checked continuously, liveness after healing, and the client history
 * checked for linearizability.
 */
package dev.faultline.testbed.sim;
