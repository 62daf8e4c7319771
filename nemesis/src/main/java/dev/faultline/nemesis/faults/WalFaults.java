package dev.faultline.nemesis.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.random.RandomGenerator;

/**
 * Damages the newest WAL segment of a stopped node ({@code <data>/wal/<20-digit first index>.wal}),
 * as a crash mid-write or a failing disk would. The store decides what happens next; this only
 * damages and reports.
 */
public final class WalFaults {
  private WalFaults() {}

  /** The segment with the highest first index. */
  public static Path newestSegment(Path dataDir) {
    Path wal = dataDir.resolve("wal");
    if (!Files.isDirectory(wal)) {
      throw new IllegalArgumentException(
          "no WAL directory at " + wal + ": has the node written anything?");
    }
    try (var files = Files.list(wal)) {
      return files
          .filter(p -> p.getFileName().toString().matches("\\d{20}\\.wal"))
          .max(Comparator.comparing(p -> p.getFileName().toString()))
          .orElseThrow(
              () -> new IllegalArgumentException("no <20-digit index>.wal segment in " + wal));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + wal + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where the written records of a segment end: after its last byte that is not zero. The store
   * fills the space ahead of its records with zeros, which no damage should land in; a record's own
   * trailing zeros count as ahead too, so the end found is never past the records'.
   */
  static long recordsEnd(FileChannel channel) throws IOException {
    long end = channel.size();
    ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
    while (end > 0) {
      long from = Math.max(0, end - chunk.capacity());
      chunk.clear().limit((int) (end - from));
      while (chunk.hasRemaining()) {
        if (channel.read(chunk, from + chunk.position()) < 0) {
          throw new IOException("segment shrank while being read");
        }
      }
      for (int i = chunk.limit() - 1; i >= 0; i--) {
        if (chunk.get(i) != 0) {
          return from + i + 1;
        }
      }
      end = from;
    }
    return 0;
  }

  /**
   * Cuts between 1 and {@code maxBytes} bytes (never more than it holds) off the end of the newest
   * segment's records, and the zeros written ahead of them with them: the file ends mid-record, as
   * after a crash while it grew.
   */
  public static WalDamage.TruncatedTail truncateTail(
      Path dataDir, int maxBytes, RandomGenerator rng) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
    }
    Path segment = newestSegment(dataDir);
    try (var channel =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = recordsEnd(channel);
      if (size == 0) {
        throw new IllegalArgumentException("segment " + segment + " is empty: nothing to truncate");
      }
      long cut = 1 + rng.nextLong(Math.min(maxBytes, size));
      channel.truncate(size - cut);
      channel.force(true);
      return new WalDamage.TruncatedTail(segment, size, size - cut);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + segment + ": " + e.getMessage(), e);
    }
  }

  /**
   * Flips {@code count} distinct random bits within the last {@code tailBytes} bytes of the newest
   * segment's records (not in the zeros written ahead of them), in place.
   */
  public static WalDamage.FlippedBits flipBits(
      Path dataDir, int count, int tailBytes, RandomGenerator rng) {
    if (count < 1 || tailBytes < 1) {
      throw new IllegalArgumentException(
          "count and tailBytes must be at least 1, got " + count + " and " + tailBytes);
    }
    Path segment = newestSegment(dataDir);
    try (var channel =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = recordsEnd(channel);
      long region = Math.min(tailBytes, size);
      if (region * 8 < count) {
        throw new IllegalArgumentException(
            "segment "
                + segment
                + " has "
                + size
                + " bytes: too few to flip "
                + count
                + " bits in");
      }
      var chosen = new HashSet<Long>();
      var flips = new ArrayList<WalDamage.BitFlip>();
      while (flips.size() < count) {
        long position = rng.nextLong(region * 8);
        if (!chosen.add(position)) {
          continue;
        }
        long offset = size - region + position / 8;
        int bit = (int) (position % 8);
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, offset);
        int before = one.get(0) & 0xff;
        int after = before ^ (1 << bit);
        channel.write(ByteBuffer.wrap(new byte[] {(byte) after}), offset);
        flips.add(new WalDamage.BitFlip(offset, bit, before, after));
      }
      channel.force(true);
      flips.sort(
          Comparator.comparingLong(WalDamage.BitFlip::offset)
              .thenComparingInt(WalDamage.BitFlip::bit));
      return new WalDamage.FlippedBits(segment, flips);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flip bits in " + segment + ": " + e.getMessage(), e);
    }
  }
}
