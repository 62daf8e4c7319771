/**
 * Durable Raft log storage: the segmented write-ahead log (CRC32C-framed records, group commit,
 * torn-tail recovery), the atomically replaced hard state file, and {@link
 * dev.faultline.store.wal.DurableLogStorage}, the {@code LogStorage} over them. The byte layouts
 * are in docs/STORAGE.md.
 */
package dev.faultline.store.wal;
