package dev.faultline.testbed.run;

import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.net.Net;
import dev.faultline.nemesis.toxiproxy.ToxiproxyNet;
import dev.faultline.testbed.report.RunDirectory;
import dev.faultline.workloads.client.ClientFactory;
import java.util.Optional;

/**
 * The cluster a run tests and how to reach it: its nodes (not yet started), the network that
 * partitions them (empty when it cannot), how to ask a node for its leader, and clients for the
 * workload. Closing it tears everything down.
 */
public interface Deployment extends AutoCloseable {
  Cluster cluster();

  Optional<Net> net();

  LeaderProbe leaderProbe();

  /** Where link faults (latency, bandwidth, flaky) go: empty unless peer links are proxied. */
  default Optional<ToxiproxyNet> links() {
    return Optional.empty();
  }

  /** Whether the node says it is ready to serve ({@code GET /readyz}: it knows a leader). */
  boolean ready(String nodeId);

  /**
   * Opens a client per process; each request gives up after {@code timeout}. Process {@code p} runs
   * on worker {@code p mod concurrency} (a fresh process after an {@code info} keeps its worker).
   */
  ClientFactory clients(java.time.Duration timeout, int concurrency);

  /**
   * Copies the files the system under test keeps (configuration, logs outside the data directory)
   * into {@code nodesDir/<id>/}, after the nodes stopped.
   */
  default void keep(java.nio.file.Path nodesDir) throws java.io.IOException {}

  /** How long the node may take to exit after SIGTERM when the run tears the cluster down. */
  default java.time.Duration stopGrace(String nodeId) {
    return dev.faultline.testbed.run.system.SystemNodes.STOP_GRACE;
  }

  /** E.g. {@code sandbox (10.77.0.0/24)} or {@code loopback (127.77.0.0/24)}, for the report. */
  String network();

  @Override
  void close();

  /** Makes the deployment of one run. */
  @FunctionalInterface
  interface Factory {
    Deployment open(TestOptions options, RunDirectory run) throws Exception;
  }
}
