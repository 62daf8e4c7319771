package dev.faultline.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Single pure cores with preset durable state, for feeding messages by hand. */
final class Cores {
  private Cores() {}

  static final Set<String> ABC = Set.of("a", "b", "c");

  /** A core whose storage holds {@code hs} and entries with the given terms from index 1. */
  static RaftCore withLog(String id, Set<String> peers, HardState hs, long... terms) {
    return withLog(RaftConfig.of(id, peers), hs, terms);
  }

  static RaftCore withLog(RaftConfig config, HardState hs, long... terms) {
    MemoryLogStorage storage = new MemoryLogStorage();
    storage.append(entries(1, terms));
    storage.saveHardState(hs);
    return new RaftCore(config, storage, new SplittableRandom(1), null, 0);
  }

  static List<Entry> entries(long fromIndex, long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      out.add(
          new Entry(
              fromIndex + i, terms[i], Entry.Type.COMMAND, ("e" + (fromIndex + i)).getBytes()));
    }
    return out;
  }

  /** Runs one ready cycle against the core's own storage and returns everything sent. */
  static List<Message> drain(RaftCore core) {
    List<Message> out = new ArrayList<>();
    if (!core.hasReady()) {
      return out;
    }
    Ready rd = core.ready();
    LogStorage storage = core.log.storage;
    if (rd.snapshot() != null) {
      storage.installSnapshot(rd.snapshot().meta());
    }
    storage.append(rd.entries());
    if (rd.hardState() != null) {
      storage.saveHardState(rd.hardState());
    }
    out.addAll(rd.messages());
    out.addAll(rd.persistedMessages());
    core.advance(rd);
    return out;
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> T only(List<Message> msgs, Class<T> type) {
    List<Message> matching = msgs.stream().filter(type::isInstance).toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " in " + msgs);
    }
    return (T) matching.get(0);
  }
}
