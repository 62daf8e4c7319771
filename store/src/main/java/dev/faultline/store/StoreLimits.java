package dev.faultline.store;

/**
 * Size limits on keys and values. A key is 1 to {@code maxKeyBytes} bytes, a value 0 to {@code
 * maxValueBytes} bytes; anything else is refused with a {@link StoreLimitException}.
 */
public record StoreLimits(int maxKeyBytes, int maxValueBytes) {
  /** Keys up to 1 KiB, values up to 1 MiB. */
  public static final StoreLimits DEFAULT = new StoreLimits(1024, 1024 * 1024);

  public StoreLimits {
    if (maxKeyBytes < 1) {
      throw new IllegalArgumentException("maxKeyBytes must be >= 1, was " + maxKeyBytes);
    }
    if (maxValueBytes < 0) {
      throw new IllegalArgumentException("maxValueBytes must be >= 0, was " + maxValueBytes);
    }
  }

  /** Throws {@link StoreLimitException} unless {@code key} is an acceptable key. */
  public void checkKey(byte[] key) {
    if (key == null || key.length == 0) {
      throw new StoreLimitException("empty key: a key must be 1 to " + maxKeyBytes + " bytes");
    }
    if (key.length > maxKeyBytes) {
      throw new StoreLimitException(
          "key of "
              + key.length
              + " bytes exceeds the limit of "
              + maxKeyBytes
              + " bytes (maxKeyBytes); use a shorter key");
    }
  }

  /** Throws {@link StoreLimitException} unless {@code value} is an acceptable value. */
  public void checkValue(byte[] value) {
    if (value == null) {
      throw new StoreLimitException("missing value: a value must be present (it may be empty)");
    }
    if (value.length > maxValueBytes) {
      throw new StoreLimitException(
          "value of "
              + value.length
              + " bytes exceeds the limit of "
              + maxValueBytes
              + " bytes (maxValueBytes); store a smaller value");
    }
  }
}
