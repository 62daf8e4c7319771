package dev.faultline.api.config;

/** {@code host:port} strings, with IPv6 hosts in brackets ({@code [::1]:7070}). */
public final class Addresses {

  private Addresses() {}

  /** Checks {@code address} is {@code host:port} with a port in 0..65535; returns it. */
  public static String require(String address, String what) {
    int colon = address == null ? -1 : address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new ConfigException(
          what + " '" + address + "' is not HOST:PORT: write e.g. 127.0.0.1:7070");
    }
    try {
      int port = Integer.parseInt(address.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(what + " '" + address + "' has no valid port (0-65535)");
    }
    return address;
  }

  public static String host(String address) {
    String host = address.substring(0, address.lastIndexOf(':'));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The host as written in an address ({@code [::1]} keeps its brackets). */
  public static String hostPart(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }

  public static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
