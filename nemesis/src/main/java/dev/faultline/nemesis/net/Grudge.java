package dev.faultline.nemesis.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who must not hear from whom: each node maps to the set of nodes whose packets it drops. A grudge
 * is immutable, holds no empty sets and never has a node drop itself.
 */
public record Grudge(Map<String, Set<String>> drops) {

  public static final Grudge NONE = new Grudge(Map.of());

  public Grudge {
    var copy = new TreeMap<String, Set<String>>();
    drops.forEach(
        (node, from) -> {
          if (from.contains(node)) {
            throw new IllegalArgumentException("grudge: node " + node + " cannot drop itself");
          }
          if (!from.isEmpty()) {
            copy.put(node, Collections.unmodifiableSet(new TreeSet<>(from)));
          }
        });
    drops = Collections.unmodifiableMap(copy);
  }

  /** The nodes whose packets {@code node} drops (empty when it hears everyone). */
  public Set<String> dropsFrom(String node) {
    return drops.getOrDefault(node, Set.of());
  }

  /** True when {@code receiver} does not hear {@code sender}. */
  public boolean cuts(String sender, String receiver) {
    return dropsFrom(receiver).contains(sender);
  }

  public boolean isEmpty() {
    return drops.isEmpty();
  }

  /** Every node mentioned, as a receiver or a sender. */
  public Set<String> nodes() {
    var all = new TreeSet<String>(drops.keySet());
    drops.values().forEach(all::addAll);
    return all;
  }

  /** The grudge as a history value: node to the sorted list of nodes it does not hear. */
  public Map<String, List<String>> asValue() {
    var value = new TreeMap<String, List<String>>();
    drops.forEach((node, from) -> value.put(node, List.copyOf(from)));
    return value;
  }

  /**
   * Parses {@code n1:n2,n3;n4:n5} ("n1 drops from n2 and n3; n4 drops from n5"). Whitespace is
   * ignored; an empty text is no grudge.
   *
   * @throws IllegalArgumentException naming the column of the first malformed entry
   */
  public static Grudge parse(String text) {
    var drops = new TreeMap<String, Set<String>>();
    int column = 1;
    for (String entry : text.split(";", -1)) {
      String trimmed = entry.strip();
      if (!trimmed.isEmpty()) {
        int colon = trimmed.indexOf(':');
        if (colon < 0 || trimmed.indexOf(':', colon + 1) >= 0) {
          throw bad(text, column, "NODE:NODE[,NODE...]", trimmed);
        }
        String receiver = trimmed.substring(0, colon).strip();
        requireName(text, column, receiver);
        var senders = drops.computeIfAbsent(receiver, k -> new TreeSet<>());
        for (String sender : trimmed.substring(colon + 1).split(",", -1)) {
          String s = sender.strip();
          requireName(text, column, s);
          if (s.equals(receiver)) {
            throw bad(text, column, "a node other than " + receiver, s);
          }
          senders.add(s);
        }
      }
      column += entry.length() + 1;
    }
    return new Grudge(drops);
  }

  private static void requireName(String text, int column, String name) {
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw bad(text, column, "a node id like n1", name.isEmpty() ? "nothing" : "'" + name + "'");
    }
  }

  private static IllegalArgumentException bad(
      String text, int column, String expected, String found) {
    return new IllegalArgumentException(
        "grudge '"
            + text
            + "' at column "
            + column
            + ": expected "
            + expected
            + ", found "
            + found
            + " (write it as n1:n2,n3;n4:n5)");
  }

  /** The text form that {@link #parse} reads back. */
  @Override
  public String toString() {
    var parts = new ArrayList<String>();
    drops.forEach((node, from) -> parts.add(node + ":" + String.join(",", from)));
    return String.join(";", parts);
  }
}
