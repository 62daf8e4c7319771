package dev.faultline.raft;

import java.util.List;

/**
 * A {@link LogStorage} that passes every call to another one; subclasses override the calls they
 * watch or change (timing, deliberate bugs) and inherit the rest unchanged.
 */
public abstract class ForwardingLogStorage implements LogStorage {
  protected final LogStorage inner;

  protected ForwardingLogStorage(LogStorage inner) {
    this.inner = inner;
  }

  @Override
  public HardState hardState() {
    return inner.hardState();
  }

  @Override
  public void saveHardState(HardState state) {
    inner.saveHardState(state);
  }

  @Override
  public SnapshotMeta snapshot() {
    return inner.snapshot();
  }

  @Override
  public long firstIndex() {
    return inner.firstIndex();
  }

  @Override
  public long lastIndex() {
    return inner.lastIndex();
  }

  @Override
  public long term(long index) {
    return inner.term(index);
  }

  @Override
  public List<Entry> entries(long from, long to, long maxBytes) {
    return inner.entries(from, to, maxBytes);
  }

  @Override
  public void append(List<Entry> entries) {
    inner.append(entries);
  }

  @Override
  public void sync() {
    inner.sync();
  }

  // startSync is not forwarded: the default calls this.sync(), so a subclass that overrides sync
  // keeps its meaning; one that wants the inner storage's concurrent sync overrides startSync.

  @Override
  public void installSnapshot(SnapshotMeta meta) {
    inner.installSnapshot(meta);
  }

  @Override
  public void compact(long index) {
    inner.compact(index);
  }

  @Override
  public void close() {
    inner.close();
  }
}
