package dev.faultline.store;

/**
 * Bytes that are not a valid encoding of a {@link KvCommand}, {@link KvResult} or {@link KvQuery};
 * the message names the type, the byte offset and what was wrong. Decoding never guesses.
 */
public final class CommandFormatException extends IllegalArgumentException {
  public CommandFormatException(String message) {
    super(message);
  }
}
