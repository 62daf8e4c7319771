package dev.faultline.nemesis.toxiproxy;

import java.io.IOException;

/**
 * The operations {@link ToxiproxyNet} needs from a Toxiproxy server; {@link ToxiproxyControl}
 * performs them over its HTTP API. Every call acts at once on the server.
 */
public interface ProxyControl {
  /** The server's version; fails when the server cannot be reached. */
  String version() throws IOException;

  /** Creates the proxy, replacing any proxy of the same name. */
  void create(LinkProxy proxy) throws IOException;

  /** A disabled proxy refuses new connections and closes the ones it holds. */
  void setEnabled(String proxy, boolean enabled) throws IOException;

  void addToxic(String proxy, ToxicSpec toxic) throws IOException;

  /** Removes the toxic; nothing happens when it is not there. */
  void removeToxic(String proxy, String toxic) throws IOException;

  /** Enables every proxy and removes every toxic. */
  void reset() throws IOException;

  /** Deletes the proxy; nothing happens when it is not there. */
  void delete(String proxy) throws IOException;
}
