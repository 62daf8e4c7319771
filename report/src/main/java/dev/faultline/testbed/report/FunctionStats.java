package dev.faultline.testbed.report;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the calls of one function ended. {@code calls == ok + fail + info + pending}. The one per-f
 * count of a run: the runner writes it into results.json ({@link RunResults.Ops}) and the report
 * shows it.
 *
 * @param f the function, or {@code all} for the totals
 */
public record FunctionStats(String f, int calls, int ok, int fail, int info, int pending) {
  /** The name of the totals row. */
  public static final String ALL = "all";

  /** A count as a share of this function's calls, from 0 to 1 (0 when there were none). */
  public double share(int count) {
    return calls == 0 ? 0 : (double) count / calls;
  }

  /** One entry per function in order of first invocation, then the totals as {@code all}. */
  public static List<FunctionStats> of(History history) {
    Map<String, int[]> byF = new LinkedHashMap<>();
    int[] all = new int[5];
    for (Call c : history.calls()) {
      int[] k = byF.computeIfAbsent(c.f(), f -> new int[5]);
      int slot =
          switch (c.outcome()) {
            case OK -> 1;
            case FAIL -> 2;
            case INFO -> 3;
            case PENDING -> 4;
          };
      k[0]++;
      k[slot]++;
      all[0]++;
      all[slot]++;
    }
    List<FunctionStats> out = new ArrayList<>();
    byF.forEach((f, k) -> out.add(new FunctionStats(f, k[0], k[1], k[2], k[3], k[4])));
    out.add(new FunctionStats(ALL, all[0], all[1], all[2], all[3], all[4]));
    return List.copyOf(out);
  }
}
