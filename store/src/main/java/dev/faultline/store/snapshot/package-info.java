/**
 * Snapshot files and their manifest: {@link dev.faultline.store.snapshot.SnapshotStore} saves a
 * state machine's snapshot durably, keeps the newest two, and opens the newest one that passes its
 * checksum.
 */
package dev.faultline.store.snapshot;
