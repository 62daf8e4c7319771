package dev.faultline.testbed.run;

import dev.faultline.histories.Call;
import dev.faultline.histories.History;
import java.util.LinkedHashMap;
import java.util.Map;

/** How the client ops of a history ended, per function ({@code read}, {@code write}, ...). */
public final class OpCounts {
  private OpCounts() {}

  /** {@code f -> {ok, fail, info, pending}}, functions in order of first appearance. */
  public static Map<String, Map<String, Long>> byFunction(History history) {
    var by = new LinkedHashMap<String, Map<String, Long>>();
    for (Call call : history.calls()) {
      Map<String, Long> counts =
          by.computeIfAbsent(
              call.f(),
              f -> {
                var m = new LinkedHashMap<String, Long>();
                m.put("ok", 0L);
                m.put("fail", 0L);
                m.put("info", 0L);
                m.put("pending", 0L);
                return m;
              });
      String outcome =
          switch (call.outcome()) {
            case OK -> "ok";
            case FAIL -> "fail";
            case INFO -> "info";
            case PENDING -> "pending";
          };
      counts.merge(outcome, 1L, Long::sum);
    }
    return by;
  }
}
