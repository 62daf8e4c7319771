/**
 * Network faults through Toxiproxy: one proxy per directed peer link ({@link
 * dev.faultline.nemesis.toxiproxy.ProxyTopology}), partitions by disabling links and toxics
 * iptables cannot impose (latency with jitter, bandwidth, slow close, connection resets) through
 * {@link dev.faultline.nemesis.toxiproxy.ToxiproxyNet}.
 */
package dev.faultline.nemesis.toxiproxy;
