package dev.faultline.raft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The leader's pending ReadIndex requests (§8): reads waiting for the leader's first commit in its
 * term, and reads waiting for a heartbeat round that confirms the leader still leads. A heartbeat
 * response carrying round {@code s} confirms every read registered at or before {@code s}.
 *
 * <p>One round is in flight at a time (dissertation §6.4 lets reads share one): reads that arrive
 * while a round is out wait, each at the commit index it found, and the next round, started once
 * that one is confirmed (or by the next periodic heartbeat), covers all of them. A read registered
 * after a round left is never confirmed by that round, since its number is higher.
 */
final class ReadIndexQueue {
  private record Pending(long seq, long index, byte[] context, Set<String> acks) {}

  private final ArrayDeque<byte[]> held = new ArrayDeque<>();
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private long nextSeq = 1;

  /** The highest read number a heartbeat round has carried. */
  private long sentSeq;

  void hold(byte[] context) {
    held.add(context);
  }

  List<byte[]> releaseHeld() {
    List<byte[]> out = new ArrayList<>(held);
    held.clear();
    return out;
  }

  /** Registers a read at {@code index} and returns its round number. */
  long add(byte[] context, long index, String self) {
    long seq = nextSeq++;
    Set<String> acks = new HashSet<>();
    acks.add(self);
    pending.add(new Pending(seq, index, context, acks));
    return seq;
  }

  long lastSeq() {
    return nextSeq - 1;
  }

  /** True when reads wait and no round covering the oldest of them is out. */
  boolean needsRound() {
    return !pending.isEmpty() && pending.peekFirst().seq > sentSeq;
  }

  /** Marks a round carrying every read registered so far as sent; returns its number. */
  long startRound() {
    sentSeq = lastSeq();
    return sentSeq;
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Records {@code from}'s confirmation of round {@code seq}; returns the reads now confirmed. */
  List<ReadState> ack(String from, long seq, Quorum quorum) {
    Pending lastConfirmed = null;
    for (Pending p : pending) {
      if (p.seq > seq) {
        break;
      }
      if (quorum.voters().contains(from)) {
        p.acks.add(from);
      }
      int votes = 0;
      for (String a : p.acks) {
        if (quorum.voters().contains(a)) {
          votes++;
        }
      }
      if (quorum.isMajority(votes)) {
        lastConfirmed = p;
      }
    }
    if (lastConfirmed == null) {
      return List.of();
    }
    List<ReadState> out = new ArrayList<>();
    while (!pending.isEmpty()) {
      Pending p = pending.poll();
      out.add(new ReadState(p.index, p.context));
      if (p == lastConfirmed) {
        break;
      }
    }
    return out;
  }

  void clear() {
    held.clear();
    pending.clear();
  }
}
