package dev.faultline.api.node;

import dev.faultline.api.NodeAddress;
import dev.faultline.api.config.ConfigException;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.config.PeerList;
import dev.faultline.api.grpc.GrpcTransport;
import dev.faultline.raft.Membership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each member listens: the {@code peers} option for the members a node was started with, and
 * the addresses carried by applied configuration entries for members that joined later. Learned
 * addresses are linked into the transport as soon as the entry applies, and kept in the data
 * directory ({@value #FILE}), so a node restarted from a snapshot that postdates the entry still
 * reaches them. Thread-safe: the Raft loop updates it, the edges read it.
 */
final class MemberDirectory {

  static final String FILE = "members.addresses";

  private static final Logger LOG = LoggerFactory.getLogger(MemberDirectory.class);

  private final NodeConfig config;
  private final GrpcTransport transport;
  private final Path file;
  private final Map<String, NodeAddress> learned = new TreeMap<>();
  private volatile Membership membership = Membership.of(java.util.Set.of(), java.util.Set.of());

  MemberDirectory(NodeConfig config, GrpcTransport transport) {
    this.config = config;
    this.transport = transport;
    this.file = config.dataDir().resolve(FILE);
    load();
  }

  private void load() {
    if (!Files.exists(file)) {
      return;
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      int eq = line.indexOf('=');
      try {
        if (eq <= 0) {
          throw new ConfigException("not ID=peer=H:P;http=H:P;grpc=H:P");
        }
        NodeAddress a = PeerList.entry(line.substring(0, eq), line.substring(eq + 1));
        learned.put(a.id(), a);
        transport.addPeer(a.id(), a.peer());
      } catch (ConfigException e) {
        throw new ConfigException(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
  }

  /** Takes in the configuration now in force: links new members, forgets departed ones. */
  synchronized void apply(Membership next) {
    membership = next;
    boolean changed = false;
    for (Map.Entry<String, String> e : next.addresses().entrySet()) {
      NodeAddress a;
      try {
        a = PeerList.entry(e.getKey(), e.getValue());
      } catch (ConfigException bad) {
        LOG.warn("{}: ignoring the address of {}: {}", config.id(), e.getKey(), bad.getMessage());
        continue;
      }
      if (!a.equals(learned.get(a.id()))) {
        learned.put(a.id(), a);
        transport.addPeer(a.id(), a.peer());
        LOG.info("{}: member {} joined at {}", config.id(), a.id(), PeerList.spec(a));
        changed = true;
      }
    }
    if (!next.voters().isEmpty() || !next.learners().isEmpty()) {
      changed |= learned.keySet().removeIf(id -> !next.contains(id));
    }
    if (changed) {
      save();
    }
  }

  private void save() {
    StringBuilder text = new StringBuilder();
    learned
        .values()
        .forEach(a -> text.append(a.id()).append('=').append(PeerList.spec(a)).append('\n'));
    Path tmp = file.resolveSibling(FILE + ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      // The log still carries the addresses; only a restart from a later snapshot needs the file.
      LOG.warn("{}: cannot save member addresses to {}: {}", config.id(), file, e.getMessage());
    }
  }

  /** The configuration last applied. */
  Membership membership() {
    return membership;
  }

  /** The voting members' ids; before the first configuration, the {@code peers} option's. */
  List<String> voters() {
    Membership m = membership;
    if (m.voters().isEmpty()) {
      List<String> ids = new ArrayList<>();
      config.peers().forEach(p -> ids.add(p.id()));
      return ids.isEmpty() && !config.join() ? List.of(config.id()) : ids;
    }
    return new ArrayList<>(new TreeSet<>(m.voters()));
  }

  /**
   * Member {@code id}'s addresses: learned from the log first, else from the {@code peers} option.
   */
  synchronized Optional<NodeAddress> lookup(String id) {
    NodeAddress a = learned.get(id);
    return a != null ? Optional.of(a) : config.peer(id);
  }
}
