package dev.faultline.checker.model;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The built-in models by name, and the choice {@code --model auto} makes from a history's ops. */
public final class Models {
  private Models() {}

  /** Names accepted by {@link #named}. */
  public static final List<String> NAMES = List.of("register", "cas-register", "kv", "set");

  /** A model chosen for a history, with the reason in words. */
  public record Choice(Model<?, ?> model, String reason) {}

  /**
   * The built-in model with this name.
   *
   * @throws UnsupportedModelException for any other name
   */
  public static Model<?, ?> named(String name) {
    return switch (name) {
      case "register" -> RegisterModel.register();
      case "cas-register" -> RegisterModel.casRegister();
      case "kv" -> KvModel.create();
      case "set" -> SetModel.create();
      default ->
          throw new UnsupportedModelException(
              "model not supported: '" + name + "'; choose one of " + String.join(", ", NAMES));
    };
  }

  /**
   * Picks a model from the functions a history uses: {@code add} means a set; {@code get}, {@code
   * put}, {@code append}, {@code delete} or several keys mean kv; {@code cas} a cas-register;
   * {@code read}/{@code write} alone a register.
   *
   * @throws UnsupportedModelException when a function belongs to no built-in model (e.g. Knossos's
   *     {@code txn} multi-register)
   */
  public static Choice choose(History history) {
    Set<String> fs = new TreeSet<>();
    Set<Object> keys = new java.util.HashSet<>();
    for (Call c : history.calls()) {
      fs.add(c.f());
      if (keys.size() < 2) {
        keys.add(c.key());
      }
    }
    Set<String> unknown = new TreeSet<>(fs);
    unknown.removeAll(Set.of("read", "write", "cas", "get", "put", "append", "delete", "add"));
    if (!unknown.isEmpty()) {
      String txn =
          unknown.contains("txn")
              ? " ('txn' is Knossos's multi-register transaction model, which Faultline does not"
                  + " implement)"
              : "";
      throw new UnsupportedModelException(
          "model not supported: the history uses f="
              + String.join(", ", unknown)
              + txn
              + "; Faultline's models are "
              + String.join(", ", NAMES));
    }
    String seen = "f values " + String.join(", ", fs);
    if (fs.contains("add")) {
      if (!Set.of("add", "read").containsAll(fs)) {
        throw new UnsupportedModelException(
            "model not supported: "
                + seen
                + " mix a set's add with other operations; pass --model explicitly");
      }
      return new Choice(SetModel.create(), "set (" + seen + ")");
    }
    boolean kvOnly =
        fs.contains("get") || fs.contains("put") || fs.contains("append") || fs.contains("delete");
    if (kvOnly || keys.size() > 1) {
      return new Choice(
          KvModel.create(), "kv (" + seen + (keys.size() > 1 ? ", several keys" : "") + ")");
    }
    if (fs.contains("cas")) {
      return new Choice(RegisterModel.casRegister(), "cas-register (" + seen + ")");
    }
    return new Choice(RegisterModel.register(), "register (" + seen + ")");
  }
}
