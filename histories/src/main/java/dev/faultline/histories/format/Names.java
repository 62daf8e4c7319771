package dev.faultline.histories.format;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares the few distinct function, node and error names across a history's ops, so a large history
 * costs memory in proportion to its ops and not to its text.
 */
final class Names {
  private static final int LIMIT = 10_000;
  private static final ConcurrentHashMap<String, String> NAMES = new ConcurrentHashMap<>();

  private Names() {}

  static String intern(String s) {
    if (s == null) {
      return null;
    }
    String known = NAMES.get(s);
    if (known != null) {
      return known;
    }
    if (NAMES.size() < LIMIT) {
      known = NAMES.putIfAbsent(s, s);
      return known == null ? s : known;
    }
    return s;
  }
}
