package dev.faultline.checker;

/**
 * The set of configurations the search has already explored: (linearized ops as a bitset, model
 * state). Open addressing over the configuration's 64-bit hash; bitsets are stored flat in one
 * {@code long[]} so an entry costs no object of its own. Growth is charged to the {@link Budget}.
 */
final class MemoTable {
  /** Thrown when growing would pass the memory cap; the search turns it into UNKNOWN. */
  static final class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Full() {
      super(null, null, false, false);
    }
  }

  // A rough size for a model state object, charged per entry because most entries hold a new one.
  private static final long STATE_BYTES = 48;

  private final int words;
  private final Budget budget;
  private long[] hashes;
  private int[] entryOf;
  private long[] bits;
  private Object[] states;
  private int size;
  private int mask;
  private long charged;

  MemoTable(int words, Budget budget) {
    this.words = words;
    this.budget = budget;
    int cap = 1024;
    hashes = new long[cap];
    entryOf = new int[cap];
    mask = cap - 1;
    bits = new long[(cap / 2) * words];
    states = new Object[cap / 2];
    charge(bytesFor(cap));
  }

  private long bytesFor(int cap) {
    return (long) cap * 12 + (long) (cap / 2) * (words * 8L + 8 + STATE_BYTES);
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
    if (size == states.length) {
      grow();
      slot = (int) h & mask;
      while (hashes[slot] != 0) {
        slot = (slot + 1) & mask;
      }
    }
    hashes[slot] = h;
    entryOf[slot] = size;
    System.arraycopy(cur, 0, bits, size * words, words);
    states[size] = state;
    size++;
    return true;
  }

  private boolean sameBits(int e, long[] cur) {
    int base = e * words;
    for (int i = 0; i < words; i++) {
      if (bits[base + i] != cur[i]) {
        return false;
      }
    }
    return true;
  }

  private void grow() {
    int cap = hashes.length * 2;
    if ((long) cap / 2 * words > Integer.MAX_VALUE - 8) {
      throw new Full();
    }
    charge(bytesFor(cap) - bytesFor(hashes.length));
    long[] oldHashes = hashes;
    int[] oldEntry = entryOf;
    hashes = new long[cap];
    entryOf = new int[cap];
    mask = cap - 1;
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
    bits = java.util.Arrays.copyOf(bits, (cap / 2) * words);
    states = java.util.Arrays.copyOf(states, cap / 2);
  }

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
