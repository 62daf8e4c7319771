package dev.faultline.raft.runtime;

import dev.faultline.raft.Role;

/** A point-in-time view of a node, safe to read from any thread. */
public record NodeStatus(
    String id, Role role, long term, String leader, long commitIndex, long appliedIndex) {}
