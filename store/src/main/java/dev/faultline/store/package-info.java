/**
 * The replicated key-value store: a sharded map of byte strings rebuilt in the background when
 * deletes leave a shard sparse, the command, result and query encodings, client sessions for
 * exactly-once writes, and {@link dev.faultline.store.KvStateMachine}, the Raft state machine over
 * them. Durable storage lives in {@code wal} and {@code snapshot}.
 */
package dev.faultline.store;
