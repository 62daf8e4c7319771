package dev.faultline.testbed.sim;

import java.util.Arrays;

/** A binary min-heap of events ordered by (time, seq): the simulator's clock. */
final class EventQueue {
  private Event[] heap = new Event[1024];
  private int size;
  private long nextSeq;

  void add(Event e) {
    e.seq = nextSeq++;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Event p = heap[parent];
      if (!less(e, p)) {
        break;
      }
      heap[i] = p;
      i = parent;
    }
    heap[i] = e;
  }

  Event poll() {
    if (size == 0) {
      return null;
    }
    Event top = heap[0];
    Event last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      int i = 0;
      while (true) {
        int left = 2 * i + 1;
        if (left >= size) {
          break;
        }
        int right = left + 1;
        int child = right < size && less(heap[right], heap[left]) ? right : left;
        if (!less(heap[child], last)) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }

  int size() {
    return size;
  }

  private static boolean less(Event a, Event b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
}
