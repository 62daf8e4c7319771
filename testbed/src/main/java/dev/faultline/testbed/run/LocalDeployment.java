package dev.faultline.testbed.run;

import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.cluster.LocalCluster;
import dev.faultline.nemesis.net.LoopbackNetwork;
import dev.faultline.nemesis.net.Net;
import dev.faultline.nemesis.net.NetworkSandbox;
import dev.faultline.nemesis.net.NodeNetwork;
import dev.faultline.nemesis.net.SandboxNet;
import dev.faultline.workloads.client.ClientFactory;
import dev.faultline.workloads.client.KvClientPort;
import dev.faultline.workloads.client.Protocol;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * A cluster of {@code faultline node} processes on this machine: inside the network sandbox (one
 * namespace per node, partitions by iptables) when this process runs inside it, otherwise on
 * loopback addresses, where nothing can be partitioned.
 */
public final class LocalDeployment implements Deployment {
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  private final LocalCluster cluster;
  private final Optional<Net> net;
  private final HttpLeaderProbe probe;
  private final String description;
  private final String protocol;

  private LocalDeployment(
      LocalCluster cluster, Optional<Net> net, String description, String protocol) {
    this.cluster = cluster;
    this.net = net;
    this.probe = new HttpLeaderProbe(NodeCommandLine.HTTP_PORT, PROBE_TIMEOUT);
    this.description = description;
    this.protocol = protocol;
  }

  /** The factory {@code faultline test} uses: nodes run this program's {@code node} command. */
  public static Deployment.Factory factory(List<String> program) {
    return (options, run) -> open(options, run, program);
  }

  static LocalDeployment open(TestOptions options, RunDirectory run, List<String> program) {
    List<String> ids = options.nodeIds();
    NodeNetwork network;
    String description;
    if (NetworkSandbox.isInside()) {
      network = SandboxNet.create(ids);
      description = "sandbox (" + SandboxNet.BRIDGE + ", 10.77.0.0/24)";
    } else {
      network = LoopbackNetwork.create(ids);
      description = "loopback (127.77.0.0/24, no partitions)";
    }
    LocalCluster cluster;
    try {
      cluster =
          LocalCluster.create(network, new NodeCommandLine(program, run.work(), options.bug()));
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
    Optional<Net> net;
    try {
      net = Optional.of(cluster.net());
    } catch (UnsupportedOperationException none) {
      net = Optional.empty();
    }
    return new LocalDeployment(cluster, net, description, options.protocol());
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public Optional<Net> net() {
    return net;
  }

  @Override
  public LeaderProbe leaderProbe() {
    return probe;
  }

  @Override
  public boolean ready(String nodeId) {
    return probe.ready(cluster.address(nodeId));
  }

  /**
   * Clients over the node API in the chosen protocol, with sessions so that a write whose outcome
   * was unknown may be retried and is applied at most once.
   */
  @Override
  public ClientFactory clients(Duration timeout) {
    Protocol wire = Protocol.parse(protocol);
    int port = wire == Protocol.HTTP ? NodeCommandLine.HTTP_PORT : NodeCommandLine.GRPC_PORT;
    var endpoints = new LinkedHashMap<String, String>();
    for (String id : cluster.nodeIds()) {
      endpoints.put(id, cluster.address(id).hostPort(port));
    }
    return KvClientPort.factory(wire, endpoints, timeout, true);
  }

  @Override
  public String network() {
    return description;
  }

  @Override
  public void close() {
    cluster.close();
  }
}
