package dev.faultline.nemesis.toxiproxy;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.ToxicList;
import java.io.IOException;
import java.net.URI;

/** {@link ProxyControl} over a Toxiproxy server's HTTP API, through toxiproxy-java. */
public final class ToxiproxyControl implements ProxyControl {

  private final URI api;
  private final ToxiproxyClient client;

  private ToxiproxyControl(URI api) {
    this.api = api;
    this.client = new ToxiproxyClient(api.getHost(), api.getPort() < 0 ? 8474 : api.getPort());
  }

  /** A client of the server at {@code api}, e.g. {@code http://127.0.0.1:8474}. */
  public static ToxiproxyControl of(URI api) {
    if (!"http".equals(api.getScheme()) || api.getHost() == null) {
      throw new IllegalArgumentException(
          "Toxiproxy API address '"
              + api
              + "' must be http://HOST:PORT, e.g. http://127.0.0.1:8474");
    }
    return new ToxiproxyControl(api);
  }

  public URI api() {
    return api;
  }

  @Override
  public String version() throws IOException {
    return client.version();
  }

  @Override
  public void create(LinkProxy proxy) throws IOException {
    delete(proxy.name());
    client.createProxy(proxy.name(), proxy.listen(), proxy.upstream());
  }

  @Override
  public void setEnabled(String proxy, boolean enabled) throws IOException {
    Proxy p = client.getProxy(proxy);
    if (enabled) {
      p.enable();
    } else {
      p.disable();
    }
  }

  @Override
  public void addToxic(String proxy, ToxicSpec t) throws IOException {
    ToxicList toxics = client.getProxy(proxy).toxics();
    ToxicDirection dir =
        t.stream() == ToxicSpec.Stream.UPSTREAM
            ? ToxicDirection.UPSTREAM
            : ToxicDirection.DOWNSTREAM;
    Toxic toxic =
        switch (t.type()) {
          case LATENCY ->
              toxics
                  .latency(t.name(), dir, t.attribute("latency"))
                  .setJitter(t.attribute("jitter"));
          case BANDWIDTH -> toxics.bandwidth(t.name(), dir, t.attribute("rate"));
          case SLOW_CLOSE -> toxics.slowClose(t.name(), dir, t.attribute("delay"));
          case RESET_PEER -> toxics.resetPeer(t.name(), dir, t.attribute("timeout"));
          case TIMEOUT -> toxics.timeout(t.name(), dir, t.attribute("timeout"));
        };
    if (t.toxicity() < 1) {
      toxic.setToxicity((float) t.toxicity());
    }
  }

  @Override
  public void removeToxic(String proxy, String toxic) throws IOException {
    for (Toxic t : client.getProxy(proxy).toxics().getAll()) {
      if (t.getName().equals(toxic)) {
        t.remove();
      }
    }
  }

  @Override
  public void reset() throws IOException {
    client.reset();
  }

  @Override
  public void delete(String proxy) throws IOException {
    Proxy p = client.getProxyOrNull(proxy);
    if (p != null) {
      p.delete();
    }
  }
}
