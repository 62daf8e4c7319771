package dev.faultline.nemesis.toxiproxy;

import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.Net;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Net} over Toxiproxy: every directed peer link of a {@link ProxyTopology} is a proxy, a
 * partition disables the links its grudge cuts (or blackholes them), and {@link ToxicFault}s add
 * latency, bandwidth caps, resets and slow closes. The nodes need not cooperate beyond dialling
 * their peers at the addresses {@link ProxyTopology#peersLine} gives them. Thread-safe.
 */
public final class ToxiproxyNet implements Net, AutoCloseable {

  /** How a cut link behaves. */
  public enum PartitionStyle {
    /** The proxy is disabled: connections close and new ones are refused (fails fast). */
    REFUSE,
    /**
     * The proxy stays up but passes no data and never closes ({@code timeout} toxic with 0), like
     * packets dropped by iptables: senders find out only by their own timeouts.
     */
    BLACKHOLE
  }

  private static final String BLACKHOLE_TOXIC = "faultline-partition";

  private final ProxyControl control;
  private final ProxyTopology topology;
  private final PartitionStyle style;
  private final Set<Link> blackholed = new java.util.HashSet<>();
  private Grudge current = Grudge.NONE;

  private ToxiproxyNet(ProxyControl control, ProxyTopology topology, PartitionStyle style) {
    this.control = control;
    this.topology = topology;
    this.style = style;
  }

  /**
   * Connects to the Toxiproxy server at {@code api} (e.g. {@code http://127.0.0.1:8474}) and
   * creates one proxy per link of {@code topology}, replacing proxies of the same names.
   *
   * @throws IllegalStateException when the server cannot be reached, saying how to start one
   */
  public static ToxiproxyNet connect(URI api, ProxyTopology topology) {
    return connect(ToxiproxyControl.of(api), topology, PartitionStyle.REFUSE);
  }

  /** As {@link #connect(URI, ProxyTopology)}, over any {@link ProxyControl} and style. */
  public static ToxiproxyNet connect(
      ProxyControl control, ProxyTopology topology, PartitionStyle style) {
    try {
      control.version();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "no Toxiproxy server answers"
              + (control instanceof ToxiproxyControl t ? " at " + t.api() : "")
              + " ("
              + e.getMessage()
              + "): start one with 'toxiproxy-server -host 127.0.0.1 -port 8474'",
          e);
    }
    ToxiproxyNet net = new ToxiproxyNet(control, topology, style);
    for (LinkProxy proxy : topology.proxies()) {
      net.io("create proxy " + proxy.name(), () -> control.create(proxy));
    }
    return net;
  }

  public ProxyTopology topology() {
    return topology;
  }

  /** Cuts exactly the links {@code grudge} names; every other link carries traffic again. */
  @Override
  public synchronized void partition(Grudge grudge) {
    Set<Link> cut = topology.cutBy(grudge);
    List<String> failures = new ArrayList<>();
    for (LinkProxy proxy : topology.proxies()) {
      boolean cutNow = cut.contains(proxy.link());
      try {
        switch (style) {
          case REFUSE -> control.setEnabled(proxy.name(), !cutNow);
          case BLACKHOLE -> blackhole(proxy, cutNow);
        }
      } catch (IOException | RuntimeException e) {
        failures.add(proxy.name() + ": " + e.getMessage());
      }
    }
    current = failures.isEmpty() ? grudge : Grudge.NONE;
    if (!failures.isEmpty()) {
      throw new IllegalStateException(
          "Toxiproxy could not apply partition " + grudge + ": " + String.join("; ", failures));
    }
  }

  private void blackhole(LinkProxy proxy, boolean on) throws IOException {
    boolean is = blackholed.contains(proxy.link());
    if (on && !is) {
      for (ToxicSpec.Stream stream : ToxicSpec.Stream.values()) {
        control.addToxic(
            proxy.name(),
            new ToxicSpec(
                BLACKHOLE_TOXIC + "-" + stream.name().toLowerCase(java.util.Locale.ROOT),
                ToxicSpec.Type.TIMEOUT,
                stream,
                Map.of("timeout", 0L),
                1.0));
      }
      blackholed.add(proxy.link());
    } else if (!on && is) {
      for (ToxicSpec.Stream stream : ToxicSpec.Stream.values()) {
        control.removeToxic(
            proxy.name(), BLACKHOLE_TOXIC + "-" + stream.name().toLowerCase(java.util.Locale.ROOT));
      }
      blackholed.remove(proxy.link());
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

  /** Places the fault's toxics on its links; never throws for a failed action. */
  public synchronized ToxicOutcome start(ToxicFault fault) {
    return act(fault, fault.startName(), (proxy, toxic) -> control.addToxic(proxy, toxic));
  }

  /** Removes the fault's toxics from its links; never throws for a failed action. */
  public synchronized ToxicOutcome stop(ToxicFault fault) {
    return act(fault, fault.stopName(), (proxy, toxic) -> control.removeToxic(proxy, toxic.name()));
  }

  private interface ToxicAction {
    void apply(String proxy, ToxicSpec toxic) throws IOException;
  }

  private ToxicOutcome act(ToxicFault fault, String f, ToxicAction action) {
    Map<String, Object> value = new LinkedHashMap<>(fault.asValue());
    List<String> failures = new ArrayList<>();
    for (Link link : fault.links()) {
      String proxy;
      try {
        proxy = topology.proxy(link.from(), link.to()).name();
      } catch (IllegalArgumentException e) {
        failures.add(e.getMessage());
        continue;
      }
      for (ToxicSpec toxic : fault.toxics()) {
        try {
          action.apply(proxy, toxic);
        } catch (IOException | RuntimeException e) {
          failures.add(proxy + " " + toxic.name() + ": " + e.getMessage());
        }
      }
    }
    Optional<String> error =
        failures.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", failures));
    return new ToxicOutcome(fault, f, value, error);
  }

  /**
   * Enables every proxy and removes every toxic (ours and anyone's). Returns the failures (empty
   * when all links are clean).
   */
  public synchronized List<String> healAll() {
    List<String> problems = new ArrayList<>();
    try {
      control.reset();
      blackholed.clear();
      current = Grudge.NONE;
    } catch (IOException | RuntimeException e) {
      problems.add("could not reset Toxiproxy: " + e.getMessage());
    }
    return problems;
  }

  /** Deletes the proxies this net created; never throws. */
  @Override
  public synchronized void close() {
    for (LinkProxy proxy : topology.proxies()) {
      try {
        control.delete(proxy.name());
      } catch (IOException | RuntimeException gone) {
        // The server may be gone already; nothing is left to undo then.
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void io(String what, IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw new UncheckedIOException("Toxiproxy: cannot " + what + ": " + e.getMessage(), e);
    }
  }
}
