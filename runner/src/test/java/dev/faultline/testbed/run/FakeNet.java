package dev.faultline.testbed.run;

import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Net;

/** A network that only remembers the grudge in force and tells the cluster's log. */
final class FakeNet implements Net {
  private final FakeCluster cluster;
  private volatile Grudge current = Grudge.NONE;

  FakeNet(FakeCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void partition(Grudge grudge) {
    current = grudge;
    cluster.log("partition " + grudge.asValue());
  }

  @Override
  public void heal() {
    current = Grudge.NONE;
    cluster.log("heal");
  }

  @Override
  public Grudge current() {
    return current;
  }
}
