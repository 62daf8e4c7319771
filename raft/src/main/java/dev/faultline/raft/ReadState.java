package dev.faultline.raft;

/**
 * A confirmed linearizable read: once the state machine has applied {@code index}, the read
 * identified by {@code context} may be answered from local state (§8, ReadIndex).
 */
public record ReadState(long index, byte[] context) {}
