package dev.faultline.api.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.faultline.api.NodeAddress;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link NodeConfig} from its sources, each overriding the one before: defaults, the YAML
 * file ({@code --config FILE} or {@code FAULTLINE_CONFIG}), environment variables ({@code
 * FAULTLINE_<UPPER_SNAKE>}), then flags ({@code --kebab-name VALUE}). Every error names the option
 * and where its value came from.
 */
public final class ConfigSources {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, String> FLAG_ALIASES =
      Map.of(
          "data", "data-dir",
          "http", "http-address",
          "grpc", "grpc-address",
          "peer", "peer-address",
          "bug", "bugs");

  /** Options that may be given as a bare flag ({@code --insecure}) to mean true. */
  private static final List<String> SWITCHES = List.of("insecure", "allow-bugs", "join");

  private static final List<String> BOOLEAN_WORDS = List.of("true", "false", "yes", "no");

  /** A raw option value and where it came from (for error messages). */
  private record Value(Object raw, String source) {}

  private ConfigSources() {}

  /** Every option name, in {@link NodeConfig} component order. */
  public static List<String> optionNames() {
    return Arrays.stream(NodeConfig.class.getRecordComponents())
        .map(c -> kebab(c.getName()))
        .toList();
  }

  /** Loads from command-line arguments and the environment (pass {@code System.getenv()}). */
  public static NodeConfig load(List<String> args, Map<String, String> env) {
    Map<String, List<String>> flags = parseFlags(args);
    Path file = null;
    if (flags.containsKey("config")) {
      file = Path.of(last(flags.remove("config")));
    } else if (env.containsKey("FAULTLINE_CONFIG")) {
      file = Path.of(env.get("FAULTLINE_CONFIG"));
    }
    Map<String, Value> options = new LinkedHashMap<>();
    if (file != null) {
      options.putAll(readFile(file));
    }
    for (String name : optionNames()) {
      String var = "FAULTLINE_" + name.replace('-', '_').toUpperCase(Locale.ROOT);
      if (env.containsKey(var)) {
        options.put(name, new Value(env.get(var), "environment variable " + var));
      }
    }
    flags.forEach(
        (name, values) ->
            options.put(
                name, new Value(name.equals("bugs") ? values : last(values), "flag --" + name)));
    return build(options);
  }

  /** Builds from option values by name (strings, numbers, lists), over the defaults. */
  public static NodeConfig fromOptions(Map<String, ?> values) {
    Map<String, Value> options = new LinkedHashMap<>();
    values.forEach(
        (name, raw) -> {
          requireKnown(name, "given options");
          options.put(name, new Value(raw, "option " + name));
        });
    return build(options);
  }

  /** Reads a YAML file of options; unknown keys are errors naming FILE:LINE:COLUMN. */
  static Map<String, Value> readFile(Path file) {
    Map<String, Value> options = new LinkedHashMap<>();
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return options;
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(
            where(file, p.currentLocation()) + ": expected a mapping of options");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        String at = where(file, p.currentLocation());
        requireKnown(name, at);
        p.nextToken();
        JsonNode node = YAML.readTree(p);
        options.put(name, new Value(YAML.convertValue(node, Object.class), at));
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          where(file, e.getLocation()) + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return options;
  }

  private static String where(Path file, JsonLocation loc) {
    return loc == null ? file.toString() : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
  }

  private static void requireKnown(String name, String where) {
    if (!optionNames().contains(name)) {
      throw new ConfigException(
          where
              + ": unknown option '"
              + name
              + "'; known options: "
              + String.join(", ", optionNames()));
    }
  }

  /** Splits {@code --name value} / {@code --name=value} flags; aliases map to option names. */
  static Map<String, List<String>> parseFlags(List<String> args) {
    Map<String, List<String>> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new ConfigException("unexpected argument '" + arg + "': options are --name VALUE");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (SWITCHES.contains(name)
          && (i + 1 >= args.size() || !BOOLEAN_WORDS.contains(args.get(i + 1)))) {
        value = "true"; // --insecure alone switches it on
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new ConfigException("flag --" + name + " needs a value");
      }
      name = FLAG_ALIASES.getOrDefault(name, name);
      if (!name.equals("config")) {
        requireKnown(name, "flag --" + name);
      }
      flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return flags;
  }

  private static String last(List<String> values) {
    return values.get(values.size() - 1);
  }

  private static NodeConfig build(Map<String, Value> given) {
    Map<String, Value> options = new LinkedHashMap<>(Defaults.values());
    options.putAll(given);
    Value id = options.get("id");
    if (!given.containsKey("data-dir") && id != null && id.raw() != null) {
      options.put("data-dir", new Value("faultline-data/" + id.raw(), "default"));
    }
    RecordComponent[] components = NodeConfig.class.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      String name = kebab(c.getName());
      types[i] = c.getType();
      Value v = options.get(name);
      args[i] = convert(name, c, v == null ? new Value(null, "default") : v);
    }
    try {
      return NodeConfig.class.getDeclaredConstructor(types).newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object convert(String name, RecordComponent c, Value v) {
    Object raw = v.raw();
    Class<?> type = c.getType();
    try {
      if (type == String.class) {
        if (raw == null) {
          return null;
        }
        String s = raw.toString().trim();
        return name.endsWith("-address") ? Addresses.require(s, "option '" + name + "'") : s;
      }
      if (type == Path.class) {
        return raw == null || raw.toString().isBlank() ? null : Path.of(raw.toString().trim());
      }
      if (type == boolean.class) {
        if (raw instanceof Boolean b) {
          return b;
        }
        String s = raw == null ? "" : raw.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
          case "true", "yes", "1" -> true;
          case "false", "no", "0" -> false;
          default ->
              throw new ConfigException(
                  v.source()
                      + ": option '"
                      + name
                      + "' must be true or false, found '"
                      + raw
                      + "'");
        };
      }
      if (type == int.class) {
        return raw instanceof Number n
            ? Math.toIntExact(n.longValue())
            : Integer.parseInt(raw.toString().trim());
      }
      if (type == long.class) {
        return raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
      }
      if (type == List.class) {
        Class<?> element =
            (Class<?>) ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
        if (element == NodeAddress.class) {
          return PeerList.parse(raw, v.source());
        }
        return stringList(raw);
      }
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(
          v.source() + ": option '" + name + "' must be a whole number, found '" + raw + "'");
    } catch (ConfigException e) {
      throw e.getMessage().startsWith(v.source())
          ? e
          : new ConfigException(v.source() + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("no conversion for option " + name + " of " + type);
  }

  private static List<String> stringList(Object raw) {
    if (raw == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    List<?> items = raw instanceof List<?> l ? l : List.of(raw);
    for (Object item : items) {
      for (String part : item.toString().split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  /**
   * The default of every option but {@code id} (required) and {@code data-dir} (faultline-data/ID).
   */
  static final class Defaults {
    static Map<String, Value> values() {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("http-address", "127.0.0.1:8080");
      d.put("grpc-address", "127.0.0.1:9090");
      d.put("peer-address", "127.0.0.1:7070");
      d.put("peers", List.of());
      d.put("shards", 16);
      d.put("max-key-bytes", 1024);
      d.put("max-value-bytes", 1 << 20);
      d.put("max-grpc-message-bytes", 4 << 20);
      d.put("max-peer-message-bytes", 16 << 20);
      d.put("peer-queue-capacity", 1024);
      d.put("request-timeout-ms", 5000);
      d.put("retry-after-ms", 1000);
      d.put("tick-ms", 50);
      d.put("election-ticks", 10);
      d.put("heartbeat-ticks", 2);
      d.put("snapshot-interval", 10000);
      d.put("bugs", List.of());
      d.put("tls-client-auth", "none");
      d.put("tls-reload-ms", 10000);
      d.put("auth-open-endpoints", List.of("healthz", "readyz", "metrics"));
      d.put("max-request-header-bytes", 8192);
      d.put("max-inflight-requests", 512);
      d.put("max-inflight-per-connection", 64);
      d.put("insecure", false);
      d.put("allow-bugs", false);
      d.put("join", false);
      d.put("fsync-delay-micros", 0);
      Map<String, Value> out = new LinkedHashMap<>();
      d.forEach((k, val) -> out.put(k, new Value(val, "default")));
      return out;
    }
  }
}
