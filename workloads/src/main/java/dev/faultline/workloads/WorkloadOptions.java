package dev.faultline.workloads;

/**
 * Tunables of the built-in workloads; each workload uses the ones that concern it.
 *
 * @param liveKeys kv: how many keys receive ops at a time
 * @param opsPerKey kv: how many ops a key receives before it is retired for a fresh one; set: how
 *     many adds
 * @param valueRange register and kv: values written are drawn from {@code [0, valueRange)}
 * @param setKeys set: how many set keys receive adds at a time
 * @param readPercent set: the share of ops, in percent, that read the set rather than add to it
 */
public record WorkloadOptions(
    int liveKeys, int opsPerKey, int valueRange, int setKeys, int readPercent) {

  public WorkloadOptions {
    positive("liveKeys", liveKeys);
    positive("opsPerKey", opsPerKey);
    positive("valueRange", valueRange);
    positive("setKeys", setKeys);
    if (readPercent < 0 || readPercent > 100) {
      throw new IllegalArgumentException(
          "workload option readPercent must be within 0..100, was " + readPercent);
    }
  }

  /** Five live keys of 200 ops each, values 0..4, one set key, a fifth of set ops reads. */
  public static WorkloadOptions defaults() {
    return new WorkloadOptions(5, 200, 5, 1, 20);
  }

  public WorkloadOptions withLiveKeys(int n) {
    return new WorkloadOptions(n, opsPerKey, valueRange, setKeys, readPercent);
  }

  public WorkloadOptions withOpsPerKey(int n) {
    return new WorkloadOptions(liveKeys, n, valueRange, setKeys, readPercent);
  }

  public WorkloadOptions withSetKeys(int n) {
    return new WorkloadOptions(liveKeys, opsPerKey, valueRange, n, readPercent);
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "workload option " + name + " must be at least 1, was " + value);
    }
  }
}
