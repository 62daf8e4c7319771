package dev.faultline.api.config;

/** A configuration that cannot be used; the message names the option, its source and the fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
