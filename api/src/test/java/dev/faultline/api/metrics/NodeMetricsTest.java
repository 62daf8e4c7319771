package dev.faultline.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {

  @Test
  void raftAndStoreCallbacksAppearUnderTheirNames() {
    try (NodeMetrics m = new NodeMetrics()) {
      RaftMetrics raft = m.raft();
      raft.term(7);
      raft.role(RaftMetrics.Role.LEADER);
      raft.commitIndex(42);
      raft.appliedIndex(41);
      raft.leaderChanged();
      raft.appended(1_000_000);
      raft.synced(2_000_000);
      raft.replicationLag("n2", 3);
      raft.replicationLag("n2", 5);
      raft.snapshotTaken(4096, 5_000_000);
      m.store().shardRebuilt(100);
      String text = m.scrape();
      assertThat(text)
          .contains("raft_term 7.0")
          .contains("raft_role 3.0")
          .contains("raft_commit_index 42.0")
          .contains("raft_applied_index 41.0")
          .contains("raft_leader_changes_total 1.0")
          .contains("raft_append_seconds_bucket")
          .contains("raft_fsync_seconds_bucket")
          .contains("raft_replication_lag{peer=\"n2\"} 5.0")
          .contains("raft_snapshots_total 1.0")
          .contains("raft_snapshot_bytes_sum 4096.0")
          .contains("raft_snapshot_seconds_bucket")
          .contains("store_shard_rebuilds_total 1.0")
          .contains("store_reclaimed_bytes_total 100.0")
          .contains("jvm_gc_");
    }
  }

  @Test
  void replicationLagFollowsTheLeadersViewAndReadsZeroOnceItIsGone() {
    try (NodeMetrics m = new NodeMetrics()) {
      m.raft().replicationLag(Map.of("n2", 4L, "n3", 9L));
      assertThat(m.scrape())
          .contains("raft_replication_lag{peer=\"n2\"} 4.0")
          .contains("raft_replication_lag{peer=\"n3\"} 9.0");

      m.raft().replicationLag(Map.of("n3", 2L));
      assertThat(m.scrape())
          .contains("raft_replication_lag{peer=\"n2\"} 0.0")
          .contains("raft_replication_lag{peer=\"n3\"} 2.0");

      m.raft().replicationLag(Map.of()); // this node no longer leads
      assertThat(m.scrape())
          .contains("raft_replication_lag{peer=\"n2\"} 0.0")
          .contains("raft_replication_lag{peer=\"n3\"} 0.0");
    }
  }
}
