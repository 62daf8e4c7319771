package dev.faultline.checker.model;

import dev.faultline.histories.Call;
import dev.faultline.histories.Values;
import java.util.List;

/** Reading the shapes of op values that models share, with errors that name the op. */
final class CallValues {
  private CallValues() {}

  /** The invocation's {@code [expected new]} pair of a cas. */
  static List<?> pair(Call call) {
    Object v = call.invoke().value();
    if (v instanceof List<?> list && list.size() == 2) {
      return list;
    }
    throw new IllegalArgumentException(
        "op #"
            + call.invoke().index()
            + ": a cas value must be [expected new], found "
            + Values.show(v)
            + "; fix the history");
  }

  /** The invocation's value as a string, for string-valued ops such as append. */
  static String string(Call call) {
    Object v = call.invoke().value();
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(
        "op #"
            + call.invoke().index()
            + ": "
            + call.f()
            + " needs a string value, found "
            + Values.show(v)
            + "; fix the history");
  }
}
