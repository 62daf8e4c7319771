package dev.faultline.api.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

  @Test
  void findsTheHistogramSeriesInsideAQuantileOfARate() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (le, route) (rate(requests_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"))
        .containsExactly("requests_seconds_bucket");
  }

  @Test
  void ignoresLabelNamesInMatchersAndGroupingClauses() {
    assertThat(
            PromQl.metricNames(
                "sum without (gc) (rate(a_total{status=~\"[45]..\", code!=\"OK\"}[5m])) / on (instance) group_left (node) b"))
        .containsExactly("a_total", "b");
  }

  @Test
  void findsEverySideOfArithmeticAndScalarCalls() {
    assertThat(
            PromQl.metricNames(
                "scalar(max(raft_commit_index)) - raft_applied_index{instance=~\"$instance\"}"))
        .containsExactly("raft_commit_index", "raft_applied_index");
  }

  @Test
  void ignoresNumbersDurationsKeywordsAndVariables() {
    assertThat(PromQl.metricNames("x offset 5m > bool 1e3 and y or $threshold"))
        .containsExactly("x", "y");
  }

  @Test
  void familyStripsOnlySeriesSuffixes() {
    assertThat(PromQl.family("requests_seconds_bucket")).isEqualTo("requests_seconds");
    assertThat(PromQl.family("raft_snapshot_bytes_sum")).isEqualTo("raft_snapshot_bytes");
    assertThat(PromQl.family("requests_total")).isEqualTo("requests_total");
    assertThat(PromQl.family("jvm_gc_pause_seconds_max")).isEqualTo("jvm_gc_pause_seconds_max");
  }
}
