package dev.faultline.workloads;

import java.util.Map;

/** The verdict of a workload's own analysis, with the figures behind it for results.json. */
public interface WorkloadAnalysis {

  boolean valid();

  /** One line a person can read, e.g. {@code set: 0 lost, 0 unexpected, 0 duplicated}. */
  String summary();

  /** The figures as plain values (String, Long, Boolean, List, Map) ready to serialise. */
  Map<String, Object> toMap();
}
