package dev.faultline.api.deploy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads the Prometheus text exposition format: sample names and declared family types. */
final class Scrape {

  private Scrape() {}

  static Set<String> sampleNames(String text) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  /** Family name → type, from {@code # TYPE name type} lines. */
  static Map<String, String> types(String text) {
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        if (parts.length >= 4) {
          types.put(parts[2], parts[3]);
        }
      }
    }
    return types;
  }
}
