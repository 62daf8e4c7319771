/**
 * Clients that carry out commands against a cluster and say how each ended: {@code ok}, {@code
 * fail} (certainly did not take effect) or {@code info} (may have). {@link
 * dev.faultline.workloads.client.PortClient} maps commands onto a transport's primitive get, put
 * and compare-and-set; {@link dev.faultline.workloads.client.KvClientPort} carries them over the
 * api module's client, by HTTP or gRPC.
 */
package dev.faultline.workloads.client;
