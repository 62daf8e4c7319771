/**
 * Cluster control and fault injection, knowing nothing of workloads or the checker: {@link
 * dev.faultline.nemesis.Fault} describes a fault as data and {@link dev.faultline.nemesis.Nemesis}
 * starts, stops and heals faults on a {@link dev.faultline.nemesis.cluster.Cluster}. See
 * docs/NEMESIS.md.
 */
package dev.faultline.nemesis;
