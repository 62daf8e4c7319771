/**
 * Running Faultline nodes as processes: a node's logging, and the local cluster of {@code faultline
 * cluster up|status|down|replace-node} (separate node processes on loopback ports, with a state
 * file of pids and ports in the cluster's data directory).
 */
package dev.faultline.testbed.cluster;
