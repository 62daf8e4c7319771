package dev.faultline.nemesis.faults;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a disk fault did to a WAL segment, precisely enough to report and reproduce it. */
public sealed interface WalDamage {
  Path segment();

  /** One line for a person: the file, the offsets and the bytes. */
  String describe();

  /** The damage as a history value (strings and numbers only). */
  Map<String, Object> asValue();

  /** The segment was cut from {@code originalSize} to {@code newSize} bytes. */
  record TruncatedTail(Path segment, long originalSize, long newSize) implements WalDamage {
    public long bytesRemoved() {
      return originalSize - newSize;
    }

    @Override
    public String describe() {
      return "truncated "
          + segment
          + " from "
          + originalSize
          + " to "
          + newSize
          + " bytes ("
          + bytesRemoved()
          + " removed at offset "
          + newSize
          + ")";
    }

    @Override
    public Map<String, Object> asValue() {
      var value = new LinkedHashMap<String, Object>();
      value.put("file", segment.toString());
      value.put("original-size", originalSize);
      value.put("new-size", newSize);
      return value;
    }
  }

  /** One flipped bit: the byte at {@code offset} went from {@code before} to {@code after}. */
  record BitFlip(long offset, int bit, int before, int after) {}

  /** Bits flipped in place; the segment keeps its size. */
  record FlippedBits(Path segment, List<BitFlip> flips) implements WalDamage {
    public FlippedBits {
      flips = List.copyOf(flips);
    }

    @Override
    public String describe() {
      var parts = new StringBuilder();
      for (BitFlip f : flips) {
        if (parts.length() > 0) {
          parts.append(", ");
        }
        parts.append(
            String.format(
                "offset %d bit %d (0x%02x -> 0x%02x)", f.offset(), f.bit(), f.before(), f.after()));
      }
      return "flipped " + flips.size() + " bit(s) in " + segment + ": " + parts;
    }

    @Override
    public Map<String, Object> asValue() {
      var value = new LinkedHashMap<String, Object>();
      value.put("file", segment.toString());
      value.put("offsets", flips.stream().map(f -> (Object) f.offset()).toList());
      value.put("bits", flips.stream().map(f -> (Object) (long) f.bit()).toList());
      return value;
    }
  }
}
