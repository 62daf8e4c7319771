package dev.faultline.store.snapshot;

import dev.faultline.raft.SnapshotMeta;
import java.nio.file.Path;

/**
 * A snapshot file as the manifest records it: the Raft identity of the state, and the file's length
 * and CRC32C, checked before the snapshot is trusted.
 */
public record StoredSnapshot(SnapshotMeta meta, Path file, long size, int crc32c) {}
