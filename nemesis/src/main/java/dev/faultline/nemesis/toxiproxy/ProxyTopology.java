package dev.faultline.nemesis.toxiproxy;

import dev.faultline.nemesis.net.Grudge;
import dev.faultline.nemesis.net.NodeAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Which proxy serves which peer link, as plain values: one proxy per directed link between the
 * members, and for each node the {@code --peers} line that sends its Raft traffic to every other
 * node through the proxy of that link. Client addresses stay the members' own, so redirects never
 * go through a proxy. Pure: no I/O.
 */
public final class ProxyTopology {

  /** The most members the port scheme of {@link ProxyPlacement} can number. */
  public static final int MAX_MEMBERS = 99;

  private final List<Member> members;
  private final ProxyPlacement placement;
  private final Map<Link, LinkProxy> proxies;

  private ProxyTopology(List<Member> members, ProxyPlacement placement) {
    this.members = List.copyOf(members);
    this.placement = placement;
    var byLink = new LinkedHashMap<Link, LinkProxy>();
    for (int i = 0; i < members.size(); i++) {
      for (int j = 0; j < members.size(); j++) {
        if (i == j) {
          continue;
        }
        Member from = members.get(i);
        Member to = members.get(j);
        int port = placement.port(i + 1, j + 1);
        Link link = new Link(from.id(), to.id());
        byLink.put(
            link,
            new LinkProxy(
                link,
                placement.listenHost() + ":" + port,
                placement.dialHost() + ":" + port,
                to.peer()));
      }
    }
    this.proxies = byLink;
  }

  /** The topology of {@code members} (in this order) with proxies placed by {@code placement}. */
  public static ProxyTopology of(List<Member> members, ProxyPlacement placement) {
    if (members.size() < 2 || members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException(
          "a proxied cluster needs 2.." + MAX_MEMBERS + " members, got " + members.size());
    }
    if (members.stream().map(Member::id).distinct().count() != members.size()) {
      throw new IllegalArgumentException(
          "member ids must be distinct: " + members.stream().map(Member::id).toList());
    }
    if (placement.highestPort(members.size()) > 65535) {
      throw new IllegalArgumentException(
          "base port "
              + placement.basePort()
              + " leaves no room for "
              + members.size()
              + " members: the highest proxy port would be "
              + placement.highestPort(members.size())
              + "; use a base port of at most "
              + (65535 - (placement.highestPort(members.size()) - placement.basePort())));
    }
    return new ProxyTopology(members, placement);
  }

  /**
   * The topology of nodes that each have their own address and share the ports (as in {@link
   * dev.faultline.nemesis.net.LoopbackNetwork} and the sandbox): member {@code a} is {@code
   * a.host():peerPort}, with HTTP and gRPC on the same host.
   */
  public static ProxyTopology forNodes(
      List<NodeAddress> nodes, int peerPort, int httpPort, int grpcPort, ProxyPlacement placement) {
    return of(
        nodes.stream()
            .map(
                a ->
                    new Member(
                        a.id(), a.hostPort(peerPort), a.hostPort(httpPort), a.hostPort(grpcPort)))
            .toList(),
        placement);
  }

  public List<Member> members() {
    return members;
  }

  public ProxyPlacement placement() {
    return placement;
  }

  public List<String> ids() {
    return members.stream().map(Member::id).toList();
  }

  /** Every proxy, ordered by the dialling node, then the dialled one. */
  public List<LinkProxy> proxies() {
    return List.copyOf(proxies.values());
  }

  /** The proxy through which {@code from} reaches {@code to}. */
  public LinkProxy proxy(String from, String to) {
    LinkProxy proxy = proxies.get(new Link(from, to));
    if (proxy == null) {
      throw new IllegalArgumentException(
          "no link " + from + " -> " + to + ": members are " + ids());
    }
    return proxy;
  }

  public Member member(String id) {
    return members.stream()
        .filter(m -> m.id().equals(id))
        .findFirst()
        .orElseThrow(
            () -> new IllegalArgumentException("unknown node " + id + ": members are " + ids()));
  }

  /**
   * The {@code peers} option of node {@code id}: itself at its own peer address, every other node
   * at the proxy of the link towards it, each with its client addresses when known ({@code
   * n1=peer=H:P;http=H:P;grpc=H:P,...}).
   */
  public String peersLine(String id) {
    member(id);
    StringJoiner line = new StringJoiner(",");
    for (Member m : members) {
      String peer = m.id().equals(id) ? m.peer() : proxy(id, m.id()).dial();
      StringBuilder entry = new StringBuilder(m.id()).append("=peer=").append(peer);
      if (m.http() != null) {
        entry.append(";http=").append(m.http());
      }
      if (m.grpc() != null) {
        entry.append(";grpc=").append(m.grpc());
      }
      line.add(entry);
    }
    return line.toString();
  }

  /**
   * The links a grudge cuts: when {@code x} must not hear {@code y}, the link {@code y → x} that
   * carries what {@code y} sends to {@code x}.
   */
  public Set<Link> cutBy(Grudge grudge) {
    Set<Link> cut = new LinkedHashSet<>();
    for (String receiver : grudge.nodes()) {
      member(receiver);
      for (String sender : grudge.dropsFrom(receiver)) {
        member(sender);
        cut.add(new Link(sender, receiver));
      }
    }
    return cut;
  }

  /** The links that touch any of {@code nodes}, in both directions. */
  public List<Link> linksOf(List<String> nodes) {
    List<Link> out = new ArrayList<>();
    for (Link link : proxies.keySet()) {
      if (nodes.contains(link.from()) || nodes.contains(link.to())) {
        out.add(link);
      }
    }
    return out;
  }
}
