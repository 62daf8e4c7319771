package dev.faultline.raft;

import java.io.ByteArrayOutputStream;

/** A follower's partly received snapshot: the chunks of one snapshot, in order, without gaps. */
final class SnapshotAssembly {
  final SnapshotMeta meta;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  SnapshotAssembly(SnapshotMeta meta) {
    this.meta = meta;
  }

  long size() {
    return bytes.size();
  }

  void append(byte[] chunk) {
    bytes.write(chunk, 0, chunk.length);
  }

  byte[] data() {
    return bytes.toByteArray();
  }
}
