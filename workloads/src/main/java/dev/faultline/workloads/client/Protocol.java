package dev.faultline.workloads.client;

import java.util.Locale;

/** The wire a workload's clients speak to the nodes: {@code --protocol http|grpc}. */
public enum Protocol {
  HTTP,
  GRPC;

  /** Parses {@code http} or {@code grpc}, in any case; throws naming the choices otherwise. */
  public static Protocol parse(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "http" -> HTTP;
      case "grpc" -> GRPC;
      default ->
          throw new IllegalArgumentException(
              "unknown protocol '" + name + "'; choose http or grpc");
    };
  }
}
