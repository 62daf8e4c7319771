package dev.faultline.raft;

import java.util.List;

/**
 * A batch of work the core hands to its runtime. The runtime must, in order: install {@code
 * snapshot} if present, append {@code entries} and save {@code hardState} (if not null), make them
 * durable with one sync, send {@code persistedMessages}, apply {@code committed}, and call {@link
 * RaftCore#advance(Ready)}. {@code messages} may be sent at any time, even before the sync.
 *
 * @param hardState the hard state to persist, or null when unchanged
 * @param entries entries to append to storage (they may replace a conflicting suffix)
 * @param snapshot a snapshot received from the leader to install, or null
 * @param messages messages that promise nothing about local durability
 * @param persistedMessages messages (votes, acknowledgements) to send only once this batch is
 *     durable
 * @param committed committed entries to apply, in log order
 * @param readStates confirmed reads
 */
public record Ready(
    HardState hardState,
    List<Entry> entries,
    SnapshotInstall snapshot,
    List<Message> messages,
    List<Message> persistedMessages,
    List<Entry> committed,
    List<ReadState> readStates) {

  /** A complete snapshot received from the leader: restore the state machine from {@code data}. */
  public record SnapshotInstall(SnapshotMeta meta, byte[] data) {}

  /** Whether the runtime must write and sync before releasing {@code persistedMessages}. */
  public boolean needsSync() {
    return hardState != null || !entries.isEmpty() || snapshot != null;
  }
}
