package dev.faultline.api.config;

import dev.faultline.api.NodeAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code peers} option: either text, {@code n1=HOST:PORT,n2=HOST:PORT} where an entry may add
 * client addresses as {@code n1=peer=H:P;http=H:P;grpc=H:P} (a bare {@code H:P} is the peer
 * address; {@code http://H:P} is accepted for the HTTP one), or a YAML list of mappings with keys
 * {@code id}, {@code peer}, {@code http}, {@code grpc}.
 */
public final class PeerList {

  private PeerList() {}

  /** One member's addresses from {@code spec}, an entry's text after {@code ID=}. */
  public static NodeAddress entry(String id, String spec) {
    if (id == null || id.isBlank() || id.contains("=") || id.contains(",")) {
      throw new ConfigException("member id '" + id + "' must be non-empty, without '=' or ','");
    }
    if (spec.contains(",")) {
      throw new ConfigException("addresses of " + id + " must not contain ','");
    }
    List<NodeAddress> one = parseText(id + "=" + spec, "member " + id);
    return one.get(0);
  }

  /**
   * The text {@link #entry} reads back: {@code peer=H:P;http=H:P;grpc=H:P}, unknown parts left out.
   */
  public static String spec(NodeAddress a) {
    StringBuilder s = new StringBuilder("peer=").append(a.peer());
    if (a.http() != null) {
      s.append(";http=").append(a.http());
    }
    if (a.grpc() != null) {
      s.append(";grpc=").append(a.grpc());
    }
    return s.toString();
  }

  static List<NodeAddress> parse(Object raw, String source) {
    if (raw == null) {
      return List.of();
    }
    if (raw instanceof String text) {
      return parseText(text, source);
    }
    if (!(raw instanceof List<?> items)) {
      throw new ConfigException(
          "option 'peers' must be text n1=HOST:PORT,... or a list of {id, peer, http, grpc}");
    }
    List<NodeAddress> peers = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof String text) {
        peers.addAll(parseText(text, source));
      } else if (item instanceof Map<?, ?> map) {
        for (Object key : map.keySet()) {
          if (!List.of("id", "peer", "http", "grpc").contains(key.toString())) {
            throw new ConfigException(
                "peer entry has unknown key '" + key + "': use id, peer, http, grpc");
          }
        }
        peers.add(
            address(
                str(map.get("id")),
                str(map.get("peer")),
                str(map.get("http")),
                str(map.get("grpc"))));
      } else {
        throw new ConfigException(
            "peer entry '" + item + "' must be a mapping {id, peer, http, grpc}");
      }
    }
    return peers;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString().trim();
  }

  static List<NodeAddress> parseText(String text, String source) {
    List<NodeAddress> peers = new ArrayList<>();
    for (String entry : text.split(",")) {
      entry = entry.trim();
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(
            "peer entry '" + entry + "' is not ID=HOST:PORT (or ID=peer=H:P;http=H:P;grpc=H:P)");
      }
      String id = entry.substring(0, eq).trim();
      String peer = null;
      String http = null;
      String grpc = null;
      for (String part : entry.substring(eq + 1).split(";")) {
        part = part.trim();
        if (part.startsWith("http://")) {
          http = part.substring("http://".length());
        } else if (part.startsWith("peer=")) {
          peer = part.substring(5);
        } else if (part.startsWith("http=")) {
          http = part.substring(5);
        } else if (part.startsWith("grpc=")) {
          grpc = part.substring(5);
        } else if (!part.contains("=")) {
          peer = part;
        } else {
          throw new ConfigException(
              "peer entry '"
                  + entry
                  + "' has unknown part '"
                  + part
                  + "': use peer=, http=, grpc=");
        }
      }
      peers.add(address(id, peer, http, grpc));
    }
    return peers;
  }

  private static NodeAddress address(String id, String peer, String http, String grpc) {
    if (id == null || id.isEmpty()) {
      throw new ConfigException("a peer entry lacks its id");
    }
    if (peer == null) {
      throw new ConfigException("peer " + id + " lacks its peer address (HOST:PORT)");
    }
    return new NodeAddress(
        id,
        Addresses.require(peer, "peer " + id + " address"),
        http == null ? null : Addresses.require(http, "peer " + id + " http address"),
        grpc == null ? null : Addresses.require(grpc, "peer " + id + " grpc address"));
  }
}
