package dev.faultline.testbed.report;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.List;

/**
 * How many of the calls invoked during a stretch of the run succeeded: during one fault window, or
 * outside every window ({@code window == null}). A call counts where it was invoked; a call invoked
 * while two faults overlap counts for both. Pending calls count as {@code info}.
 *
 * @param window the fault window, or null for the time outside all of them
 * @param calls calls invoked in the stretch
 * @param ok calls that succeeded
 * @param fail calls that certainly did not take effect
 * @param info calls whose outcome is unknown (info or pending)
 */
public record Availability(FaultWindow window, int calls, int ok, int fail, int info) {

  /** The share of calls that succeeded, from 0 to 1; 1 when no call was made. */
  public double okShare() {
    return calls == 0 ? 1.0 : (double) ok / calls;
  }

  /** Where the calls were made, in words. */
  public String label() {
    return window == null ? "outside faults" : window.label();
  }

  /** One entry per window, in the windows' order, then one for the time outside all of them. */
  public static List<Availability> of(History history, List<FaultWindow> windows) {
    int n = windows.size();
    int[][] counts = new int[n + 1][4];
    for (Call c : history.calls()) {
      if (!c.invoke().hasTime() || c.outcome() == Call.Outcome.PENDING) {
        continue;
      }
      long t = c.invoke().time();
      int slot =
          switch (c.outcome()) {
            case OK -> 1;
            case FAIL -> 2;
            case INFO, PENDING -> 3; // PENDING was skipped above
          };
      boolean inside = false;
      for (int i = 0; i < n; i++) {
        if (windows.get(i).contains(t)) {
          inside = true;
          counts[i][0]++;
          counts[i][slot]++;
        }
      }
      if (!inside) {
        counts[n][0]++;
        counts[n][slot]++;
      }
    }
    List<Availability> out = new ArrayList<>(n + 1);
    for (int i = 0; i <= n; i++) {
      int[] k = counts[i];
      out.add(new Availability(i < n ? windows.get(i) : null, k[0], k[1], k[2], k[3]));
    }
    return List.copyOf(out);
  }
}
