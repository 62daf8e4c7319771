package dev.faultline.nemesis.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Partitions as iptables DROP rules on INPUT inside each node's namespace, as Jepsen does: a node
 * that must not hear another drops every packet from that node's address. Nodes need not cooperate.
 */
final class IptablesNet implements Net {
  private final Map<String, Long> holders;
  private final Map<String, String> hosts;
  private final Iptables iptables;
  private Grudge current = Grudge.NONE;

  IptablesNet(Map<String, Long> holders, Map<String, String> hosts, Iptables iptables) {
    this.holders = Map.copyOf(holders);
    this.hosts = Map.copyOf(hosts);
    this.iptables = iptables;
  }

  @Override
  public synchronized void partition(Grudge grudge) {
    for (String node : grudge.nodes()) {
      if (!holders.containsKey(node)) {
        throw new IllegalArgumentException(
            "grudge names " + node + ", which is not a node of this run: " + holders.keySet());
      }
    }
    var failures = new ArrayList<String>();
    // Every node is rewritten, so nodes outside the new grudge lose the old one's rules.
    for (var entry : holders.entrySet()) {
      List<String> sources =
          grudge.dropsFrom(entry.getKey()).stream().map(hosts::get).sorted().toList();
      var result = iptables.apply(entry.getValue(), sources);
      if (!result.ok()) {
        failures.add(entry.getKey() + ": " + result.output().strip());
      }
    }
    current = failures.isEmpty() ? grudge : Grudge.NONE;
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "iptables-restore failed in node namespaces: " + String.join("; ", failures));
    }
  }

  @Override
  public void heal() {
    partition(Grudge.NONE);
  }

  @Override
  public synchronized Grudge current() {
    return current;
  }
}
