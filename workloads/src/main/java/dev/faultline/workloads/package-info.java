/**
 * Workloads (register, kv, set): generators that decide the next operation from a seeded source,
 * and clients that run operations against a cluster over HTTP or gRPC and record each one in the
 * history.
 */
package dev.faultline.workloads;
