package dev.faultline.checker;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking one history: INVALID when any key is invalid, else UNKNOWN when any key
 * is undecided, else VALID.
 *
 * @param verdict the overall verdict
 * @param model the model's name
 * @param modelReason why this model was used (the choice {@code auto} made, or "given")
 * @param split whether the history was checked key by key
 * @param ops client calls in the history
 * @param nanos wall time of the whole check
 * @param reason for UNKNOWN, why; otherwise null
 * @param keys one result per partition, in order of first appearance
 */
public record CheckResult(
    Verdict verdict,
    String model,
    String modelReason,
    boolean split,
    int ops,
    long nanos,
    String reason,
    List<KeyResult> keys) {

  /** The first invalid key, if any. */
  public Optional<KeyResult> firstInvalid() {
    return keys.stream().filter(k -> k.verdict() == Verdict.INVALID).findFirst();
  }
}
