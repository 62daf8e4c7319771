package dev.faultline.testbed.run.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code --db-option}s a system accepts: each key with its default, a check of the value and a
 * hint listing what is allowed. Resolving a {@link SystemSpec} against it fills in the defaults and
 * refuses an unknown key or a bad value in one line.
 */
public final class OptionSchema {
  private record Entry(String fallback, Predicate<String> valid, String hint) {}

  private final String system;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  public OptionSchema(String system) {
    this.system = system;
  }

  /** A key whose value is one of {@code choices}; the first is the default. */
  public OptionSchema choice(String key, List<String> choices) {
    entries.put(
        key, new Entry(choices.get(0), choices::contains, "use " + String.join(" or ", choices)));
    return this;
  }

  /** A key whose value is a whole number from {@code min} to {@code max}. */
  public OptionSchema integer(String key, int fallback, int min, int max) {
    entries.put(
        key,
        new Entry(
            Integer.toString(fallback),
            v -> {
              try {
                int n = Integer.parseInt(v);
                return n >= min && n <= max;
              } catch (NumberFormatException e) {
                return false;
              }
            },
            "use a whole number from " + min + " to " + max));
    return this;
  }

  /** The spec's options with defaults filled in, in the schema's order. */
  public Map<String, String> resolve(SystemSpec spec) {
    for (Map.Entry<String, String> given : spec.options().entrySet()) {
      Entry e = entries.get(given.getKey());
      if (e == null) {
        throw new IllegalArgumentException(
            "--db-option "
                + given.getKey()
                + ": --db "
                + system
                + (entries.isEmpty()
                    ? " takes no options"
                    : " takes " + String.join(", ", entries.keySet())));
      }
      if (!e.valid().test(given.getValue())) {
        throw new IllegalArgumentException(
            "--db-option " + given.getKey() + "=" + given.getValue() + ": " + e.hint());
      }
    }
    var out = new LinkedHashMap<String, String>();
    entries.forEach((k, e) -> out.put(k, spec.option(k, e.fallback())));
    return java.util.Collections.unmodifiableMap(out);
  }
}
