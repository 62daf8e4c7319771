package dev.faultline.testbed.run;

import dev.faultline.nemesis.cluster.Cluster;
import dev.faultline.nemesis.cluster.LeaderProbe;
import dev.faultline.nemesis.net.Net;
import dev.faultline.workloads.client.ClientFactory;
import java.time.Duration;
import java.util.Optional;

/** A deployment of a {@link FakeCluster}, a {@link FakeNet} and a {@link MemoryStore}. */
final class FakeDeployment implements Deployment {
  final FakeCluster cluster;
  final FakeNet net;
  final MemoryStore store;
  volatile ClientFactory clients;

  /** Nodes that never say they are ready, though their process runs. */
  volatile java.util.Set<String> neverReady = java.util.Set.of();

  /** Each node's grace at teardown, where it is not the usual one. */
  volatile java.util.Map<String, Duration> graces = java.util.Map.of();

  /** Runs each time readiness is asked, e.g. to let a node become ready later. */
  volatile Runnable onReadyAsked = () -> {};

  FakeDeployment(FakeCluster cluster, boolean staleReads) {
    this.cluster = cluster;
    this.net = new FakeNet(cluster);
    this.store = new MemoryStore(cluster, staleReads);
    this.clients = store::client;
  }

  @Override
  public Cluster cluster() {
    return cluster;
  }

  @Override
  public Optional<Net> net() {
    return Optional.of(net);
  }

  @Override
  public LeaderProbe leaderProbe() {
    return node -> cluster.leader(null);
  }

  @Override
  public boolean ready(String nodeId) {
    onReadyAsked.run();
    return cluster.up(nodeId) && !neverReady.contains(nodeId);
  }

  @Override
  public ClientFactory clients(Duration timeout, int concurrency) {
    return clients;
  }

  @Override
  public Duration stopGrace(String nodeId) {
    return graces.getOrDefault(nodeId, Deployment.super.stopGrace(nodeId));
  }

  @Override
  public String network() {
    return "fake";
  }

  @Override
  public void close() {
    cluster.close();
  }
}
