package dev.faultline.api.config;

import dev.faultline.raft.DeliberateBug;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The closed set of deliberate bugs a node can be started with ({@code --bug NAME}), each a known
 * way of being wrong that the testbed must catch. None is on unless named. Some live in the Raft
 * core ({@link #raftBug()} non-null), the others in the node's replica layer or the store.
 */
public enum NodeBug {
  /** The leader answers reads from its own state without a ReadIndex round, check-quorum off. */
  STALE_READ(
      null,
      "the leader answers reads from its own state without ReadIndex, and check-quorum is off, so"
          + " a leader cut off in a minority keeps answering with stale values"),
  /** The leader acknowledges a put or delete once it is durable in its own log only. */
  ACK_BEFORE_COMMIT(
      null,
      "the leader acknowledges a put or delete once it is in its own log, before a majority holds"
          + " it, so an acknowledged write can be lost when that leader is deposed"),
  /** The store drops writes that land while a shard is being rebuilt. */
  LOST_REBUILD_WRITES(
      null,
      "a shard rebuild drops the writes that arrive while it copies; shards are rebuilt as soon as"
          + " deletes leave them half empty"),
  VOTE_NOT_PERSISTED(
      DeliberateBug.VOTE_NOT_PERSISTED,
      "the vote is not persisted, so after a restart a node may vote twice in one term"),
  COMMIT_PREVIOUS_TERM(
      DeliberateBug.COMMIT_PREVIOUS_TERM,
      "a leader commits entries of earlier terms by counting replicas (Raft paper, Figure 8)"),
  READ_WITHOUT_QUORUM_CHECK(
      DeliberateBug.READ_WITHOUT_QUORUM_CHECK,
      "ReadIndex answers at once, without a heartbeat round confirming leadership"),
  TRUNCATE_COMMITTED(
      DeliberateBug.TRUNCATE_COMMITTED,
      "a follower truncates after prevIndex on any AppendEntries, so a late one cuts committed"
          + " entries");

  private final DeliberateBug raftBug;
  private final String effect;

  NodeBug(DeliberateBug raftBug, String effect) {
    this.raftBug = raftBug;
    this.effect = effect;
  }

  /** The Raft core's bug this is, or null for a bug of the node or the store. */
  public DeliberateBug raftBug() {
    return raftBug;
  }

  /** What goes wrong, in one sentence, for the start-up warning. */
  public String effect() {
    return effect;
  }

  /** The command-line name, e.g. {@code stale-read}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Every name, comma-separated, for error messages and help. */
  public static String names() {
    return Arrays.stream(values()).map(NodeBug::cliName).collect(Collectors.joining(", "));
  }

  /** Parses a name ({@code stale-read} or {@code STALE_READ}); unknown names list the known. */
  public static NodeBug fromName(String name) {
    for (NodeBug b : values()) {
      if (b.cliName().equals(name) || b.name().equals(name)) {
        return b;
      }
    }
    throw new ConfigException("option 'bugs': unknown bug '" + name + "'; known bugs: " + names());
  }

  /** Parses every name; the first unknown one is an error. */
  public static Set<NodeBug> parseAll(List<String> names) {
    Set<NodeBug> out = EnumSet.noneOf(NodeBug.class);
    for (String n : names) {
      out.add(fromName(n));
    }
    return out;
  }
}
