/**
 * Cluster control and fault injection, knowing nothing of workloads or the checker: {@code Cluster}
 * (start, kill, pause, resume, restart nodes; collect logs), {@code LocalCluster} in private
 * network namespaces, {@code Net} partitions by grudge with iptables DROP rules, and disk and clock
 * faults.
 */
package dev.faultline.nemesis;
