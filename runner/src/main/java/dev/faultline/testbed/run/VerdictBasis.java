package dev.faultline.testbed.run;

import dev.faultline.testbed.report.Availability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a verdict rests on, and where that is thin: nodes that were not serving when the run ended
 * (they never came back from a fault, so the checker saw nothing of what they would answer), keys
 * written but never read back (a lost write on them cannot show), fault windows in which no call
 * succeeded (the history says nothing of how the system behaved under that fault: the verdict is
 * vacuous there), nodes that were still not ready when the workload began (the run then tested a
 * late join nobody asked for), and a run that was interrupted. Any of these makes a VALID weaker
 * than it reads, so each becomes a warning line next to the verdict.
 *
 * @param nodesDown nodes not ready at the end, each as {@code n2 (exited with code 3)}
 * @param unreadKeys keys the workload wrote but no final read reached
 * @param idleWindows fault windows with no answered call, each as {@code disk n2 (19.1-32.4 s, 12
 *     calls)}
 * @param interrupted why the run was cut short (e.g. {@code SIGINT at 23.4 s}), if it was
 * @param lateNodes nodes not ready when the workload began, each as {@code n1 (running, not ready)}
 */
public record VerdictBasis(
    List<String> nodesDown,
    List<String> unreadKeys,
    List<String> idleWindows,
    Optional<String> interrupted,
    List<String> lateNodes) {

  private static final int LISTED = 5;

  public VerdictBasis {
    nodesDown = List.copyOf(nodesDown);
    unreadKeys = List.copyOf(unreadKeys);
    idleWindows = List.copyOf(idleWindows);
    lateNodes = List.copyOf(lateNodes);
  }

  /** The basis of a run whose nodes were all ready when its workload began. */
  public static VerdictBasis of(
      List<String> nodesDown,
      List<String> unreadKeys,
      Availability availability,
      Optional<String> interrupted) {
    return of(nodesDown, unreadKeys, availability, interrupted, List.of());
  }

  /** The basis of a run from what it found and the availability of its history. */
  public static VerdictBasis of(
      List<String> nodesDown,
      List<String> unreadKeys,
      Availability availability,
      Optional<String> interrupted,
      List<String> lateNodes) {
    var idle = new ArrayList<String>();
    for (Availability.Window w : availability.windows()) {
      if (w.counts().answered() > 0) {
        continue;
      }
      long calls = w.counts().ops() + w.counts().pending();
      idle.add(
          String.format(
              Locale.ROOT,
              "%s (%.1f-%.1f s%s, %d call%s)",
              w.window().label(),
              w.window().start() / 1e9,
              w.window().end() / 1e9,
              w.window().healed() ? "" : ", never healed",
              calls,
              calls == 1 ? "" : "s"));
    }
    return new VerdictBasis(nodesDown, unreadKeys, idle, interrupted, lateNodes);
  }

  /** One line per thin spot, for the summary, the banner and results.json; empty when none. */
  public List<String> warnings() {
    var w = new ArrayList<String>();
    interrupted.ifPresent(
        i ->
            w.add(
                "the run was interrupted (" + i + "): the verdict covers only what was recorded"));
    if (!lateNodes.isEmpty()) {
      w.add(
          count(lateNodes.size(), "node")
              + (lateNodes.size() == 1 ? " was" : " were")
              + " not ready when the workload began, so the run also tested a late join: "
              + listed(lateNodes));
    }
    if (!nodesDown.isEmpty()) {
      w.add(
          count(nodesDown.size(), "node")
              + " never came back and did not serve at the end: "
              + listed(nodesDown));
    }
    if (!unreadKeys.isEmpty()) {
      w.add(
          count(unreadKeys.size(), "key")
              + " written but never read back, so a lost write on "
              + (unreadKeys.size() == 1 ? "it" : "them")
              + " cannot show: "
              + listed(unreadKeys));
    }
    if (!idleWindows.isEmpty()) {
      w.add(
          "no call succeeded during "
              + count(idleWindows.size(), "fault window")
              + ", so the verdict says nothing about "
              + (idleWindows.size() == 1 ? "it" : "them")
              + ": "
              + listed(idleWindows));
    }
    return w;
  }

  /** The form results.json holds under {@code basis}. */
  public Map<String, Object> toMap() {
    var m = new LinkedHashMap<String, Object>();
    m.put("nodes_down", nodesDown);
    m.put("unread_keys", unreadKeys);
    m.put("windows_without_success", idleWindows);
    m.put("interrupted", interrupted.orElse(null));
    m.put("late_nodes", lateNodes);
    m.put("warnings", warnings());
    return m;
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String listed(List<String> items) {
    String shown = String.join(", ", items.subList(0, Math.min(LISTED, items.size())));
    return items.size() > LISTED ? shown + " and " + (items.size() - LISTED) + " more" : shown;
  }
}
