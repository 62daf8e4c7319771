package dev.faultline.testbed.run.system;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which system a run tests, as the command line names it: {@code --db NAME}, each {@code
 * --db-option KEY=VALUE}, and for {@code --db process} the {@code --db-cmd} template.
 *
 * @param name the system's name, e.g. {@code faultline} or {@code etcd}
 * @param options the options given, in order (a system fills in its defaults itself)
 * @param command the node command template of {@code --db process}
 */
public record SystemSpec(String name, Map<String, String> options, Optional<String> command) {
  /** Our own node with its defaults. */
  public static final SystemSpec FAULTLINE =
      new SystemSpec("faultline", Map.of(), Optional.empty());

  public SystemSpec {
    name = name.strip().toLowerCase(Locale.ROOT);
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    command = command.filter(c -> !c.isBlank());
  }

  /**
   * Parses {@code --db}, the {@code --db-option} values ({@code KEY=VALUE} each) and {@code
   * --db-cmd}.
   */
  public static SystemSpec parse(String name, List<String> options, String command) {
    var map = new LinkedHashMap<String, String>();
    for (String option : options) {
      int eq = option.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--db-option " + option + ": write KEY=VALUE, e.g. --db-option reads=serializable");
      }
      String key = option.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      if (map.put(key, option.substring(eq + 1).strip()) != null) {
        throw new IllegalArgumentException(
            "--db-option " + key + " is given twice: give each option once");
      }
    }
    return new SystemSpec(name, map, Optional.ofNullable(command));
  }

  /** The option's value, or {@code fallback} when not given. */
  public String option(String key, String fallback) {
    return options.getOrDefault(key, fallback);
  }
}
