package dev.faultline.api.grpc;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of encoded messages for one peer. When full, the oldest message is dropped to make
 * room: Raft tolerates loss and resends what matters, and newer messages carry newer state.
 */
final class OutboundQueue {

  private final int capacity;
  private final ArrayDeque<byte[]> messages;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private long dropped;

  OutboundQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity must be >= 1, was " + capacity);
    }
    this.capacity = capacity;
    this.messages = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /** Enqueues {@code message}; returns false when an older message was dropped for it. */
  boolean offer(byte[] message) {
    lock.lock();
    try {
      boolean room = messages.size() < capacity;
      if (!room) {
        messages.pollFirst();
        dropped++;
      }
      messages.addLast(message);
      changed.signalAll();
      return room;
    } finally {
      lock.unlock();
    }
  }

  /** The oldest message, or null when empty. */
  byte[] poll() {
    lock.lock();
    try {
      return messages.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Puts a message taken by {@link #poll} back at the head (it could not be sent yet). */
  void pushBack(byte[] message) {
    lock.lock();
    try {
      if (messages.size() < capacity) {
        messages.addFirst(message);
      } else {
        dropped++;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits until the queue is not empty or {@link #wake} is called, at most {@code millis}. */
  void awaitChange(long millis) throws InterruptedException {
    lock.lock();
    try {
      if (messages.isEmpty()) {
        changed.await(millis, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits for a {@link #wake} (or an offer) for at most {@code millis}, whatever the queue holds.
   */
  void awaitSignal(long millis) throws InterruptedException {
    lock.lock();
    try {
      changed.await(millis, TimeUnit.MILLISECONDS);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes the waiting sender (the stream became ready, broke, or the transport closes). */
  void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return messages.size();
    } finally {
      lock.unlock();
    }
  }

  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }
}
