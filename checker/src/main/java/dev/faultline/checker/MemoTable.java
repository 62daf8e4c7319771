package dev.faultline.checker;

import java.util.Arrays;

/**
 * The set of configurations the search has already explored: (linearized ops as a bitset, model
 * state). Open addressing over the configuration's 64-bit hash. Bitsets are stored flat in pages of
 * about {@value #PAGE_LONGS} longs, so an entry costs no object of its own and growing never copies
 * the bitsets (which would briefly need twice their memory), while a partition with few
 * configurations allocates little. Growth is charged to the {@link Budget} before it happens.
 */
final class MemoTable {
  /** Thrown when growing would pass the memory cap; the search turns it into UNKNOWN. */
  static final class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Full() {
      super(null, null, false, false);
    }
  }

  private static final int PAGE_LONGS = 8192;
  // A rough size for a model state object, charged per entry because most entries hold a new one.
  private static final long STATE_BYTES = 48;

  private final int words;
  private final int pageShift;
  private final int pageMask;
  private final Budget budget;
  private long[] hashes;
  private int[] entryOf;
  private long[][] pages = new long[4][];
  private int pageCount;
  private int capacity;
  private Object[] states = new Object[64];
  private int size;
  private int mask;
  private long charged;

  MemoTable(int words, Budget budget) {
    this.words = words;
    this.budget = budget;
    int perPage = Math.max(16, Integer.highestOneBit(Math.max(1, PAGE_LONGS / words)));
    pageShift = Integer.numberOfTrailingZeros(perPage);
    pageMask = perPage - 1;
    int slots = 256;
    charge(slots * 12L);
    hashes = new long[slots];
    entryOf = new int[slots];
    mask = slots - 1;
  }

  private void charge(long bytes) {
    charged += bytes;
    if (!budget.reserve(bytes)) {
      throw new Full();
    }
  }

  /** Releases what this table charged to the budget. */
  void release() {
    budget.release(charged);
    charged = 0;
  }

  int size() {
    return size;
  }

  /**
   * Adds the configuration unless present.
   *
   * @param cur the linearized-ops bitset ({@code words} long)
   * @param bitsHash a hash of {@code cur}
   * @return true when it was new
   */
  boolean add(long[] cur, long bitsHash, Object state) {
    long h = mix(bitsHash ^ (state.hashCode() * 0x9E3779B97F4A7C15L));
    if (h == 0) {
      h = 1;
    }
    int slot = (int) h & mask;
    while (true) {
      long sh = hashes[slot];
      if (sh == 0) {
        break;
      }
      if (sh == h) {
        int e = entryOf[slot];
        if (sameBits(e, cur) && states[e].equals(state)) {
          return false;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (size == capacity) {
      addPage();
    }
    if (size * 2 >= hashes.length) {
      rehash();
      slot = (int) h & mask;
      while (hashes[slot] != 0) {
        slot = (slot + 1) & mask;
      }
    }
    hashes[slot] = h;
    entryOf[slot] = size;
    System.arraycopy(cur, 0, pages[size >>> pageShift], (size & pageMask) * words, words);
    states[size] = state;
    size++;
    return true;
  }

  private boolean sameBits(int e, long[] cur) {
    long[] page = pages[e >>> pageShift];
    int base = (e & pageMask) * words;
    for (int i = 0; i < words; i++) {
      if (page[base + i] != cur[i]) {
        return false;
      }
    }
    return true;
  }

  private void addPage() {
    int perPage = pageMask + 1;
    if (capacity > Integer.MAX_VALUE / 4 - perPage) {
      throw new Full();
    }
    charge(perPage * (words * 8L + 8 + STATE_BYTES));
    if (pageCount == pages.length) {
      pages = Arrays.copyOf(pages, pages.length * 2);
    }
    pages[pageCount++] = new long[perPage * words];
    capacity += perPage;
    if (states.length < capacity) {
      states = Arrays.copyOf(states, Math.max(capacity, states.length * 2));
    }
  }

  private void rehash() {
    int slots = hashes.length * 2;
    charge(slots * 12L - hashes.length * 12L);
    long[] oldHashes = hashes;
    int[] oldEntry = entryOf;
    hashes = new long[slots];
    entryOf = new int[slots];
    mask = slots - 1;
    for (int s = 0; s < oldHashes.length; s++) {
      long h = oldHashes[s];
      if (h != 0) {
        int slot = (int) h & mask;
        while (hashes[slot] != 0) {
          slot = (slot + 1) & mask;
        }
        hashes[slot] = h;
        entryOf[slot] = oldEntry[s];
      }
    }
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
