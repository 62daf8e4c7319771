package dev.faultline.nemesis.toxiproxy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory Toxiproxy: proxies with their enabled flag and toxics, as the server would hold
 * them. Proxies named in {@code failing} refuse every change, as an unreachable server would.
 */
final class RecordingProxies implements ProxyControl {

  static final class State {
    final LinkProxy proxy;
    boolean enabled = true;
    final Map<String, ToxicSpec> toxics = new LinkedHashMap<>();

    State(LinkProxy proxy) {
      this.proxy = proxy;
    }
  }

  final Map<String, State> proxies = new LinkedHashMap<>();
  final List<String> calls = new ArrayList<>();
  Set<String> failing = Set.of();
  boolean reachable = true;

  @Override
  public String version() throws IOException {
    if (!reachable) {
      throw new IOException("Connection refused");
    }
    return "2.9.0";
  }

  @Override
  public void create(LinkProxy proxy) {
    calls.add("create " + proxy.name());
    proxies.put(proxy.name(), new State(proxy));
  }

  private State state(String proxy) throws IOException {
    if (failing.contains(proxy)) {
      throw new IOException("proxy " + proxy + " unreachable");
    }
    State s = proxies.get(proxy);
    if (s == null) {
      throw new IOException("proxy not found: " + proxy);
    }
    return s;
  }

  @Override
  public void setEnabled(String proxy, boolean enabled) throws IOException {
    state(proxy).enabled = enabled;
  }

  @Override
  public void addToxic(String proxy, ToxicSpec toxic) throws IOException {
    State s = state(proxy);
    if (s.toxics.containsKey(toxic.name())) {
      throw new IOException("toxic already exists: " + toxic.name());
    }
    s.toxics.put(toxic.name(), toxic);
  }

  @Override
  public void removeToxic(String proxy, String toxic) throws IOException {
    state(proxy).toxics.remove(toxic);
  }

  @Override
  public void reset() {
    calls.add("reset");
    proxies
        .values()
        .forEach(
            s -> {
              s.enabled = true;
              s.toxics.clear();
            });
  }

  @Override
  public void delete(String proxy) {
    calls.add("delete " + proxy);
    proxies.remove(proxy);
  }

  List<String> disabled() {
    return proxies.values().stream()
        .filter(s -> !s.enabled)
        .map(s -> s.proxy.name())
        .sorted()
        .toList();
  }
}
