package dev.faultline.raft;

import static dev.faultline.raft.Cores.ABC;
import static dev.faultline.raft.Cores.drain;
import static dev.faultline.raft.Cores.only;
import static dev.faultline.raft.Cores.withLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.InstallSnapshot;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SnapshotTest {
  private static final byte[] DATA = "state".getBytes();

  private static RaftCore followerWithCommit2() {
    RaftCore b = withLog("b", ABC, new HardState(2, null, 0), 1, 1, 1, 1);
    b.step(new AppendEntries("a", "b", 2, 4, 1, java.util.List.of(), 2));
    drain(b);
    return b;
  }

  private static InstallSnapshot whole(long index, long term) {
    return new InstallSnapshot(
        "a", "b", 2, new SnapshotMeta(index, term, ABC, java.util.Set.of()), 0, DATA, true);
  }

  @Test
  void staleSnapshotIsIgnoredAndAnsweredWithCommitIndex() {
    RaftCore b = followerWithCommit2();
    b.step(whole(2, 1));
    Ready rd = b.ready();
    assertThat(rd.snapshot()).isNull();
    assertThat(only(rd.persistedMessages(), AppendResponse.class).index()).isEqualTo(2);
    b.advance(rd);
    assertThat(b.lastIndex()).isEqualTo(4);
  }

  @Test
  void snapshotMatchingLogKeepsFollowingEntries() {
    RaftCore b = followerWithCommit2();
    b.step(whole(3, 1));
    Ready rd = b.ready();
    assertThat(rd.snapshot()).isNull();
    b.advance(rd);
    assertThat(b.commitIndex()).isEqualTo(3);
    assertThat(b.lastIndex()).as("§7: entries after the snapshot are retained").isEqualTo(4);
  }

  @Test
  void conflictingSnapshotReplacesWholeLog() {
    RaftCore b = followerWithCommit2();
    b.step(whole(6, 2));
    Ready rd = b.ready();
    assertThat(rd.snapshot()).isNotNull();
    assertThat(rd.snapshot().data()).isEqualTo(DATA);
    AppendResponse ack = only(rd.persistedMessages(), AppendResponse.class);
    assertThat(ack.index()).isEqualTo(6);
    b.log.storage.installSnapshot(rd.snapshot().meta());
    b.advance(rd);
    assertThat(b.lastIndex()).isEqualTo(6);
    assertThat(b.commitIndex()).isEqualTo(6);
    assertThat(b.termAt(6)).isEqualTo(2);
  }

  @Test
  void chunkOutOfOrderIsRefusedWithTheOffsetHeld() {
    RaftCore b = followerWithCommit2();
    SnapshotMeta meta = new SnapshotMeta(9, 2, ABC, java.util.Set.of());
    b.step(new InstallSnapshot("a", "b", 2, meta, 0, new byte[] {1, 2}, false));
    drain(b);
    b.step(new InstallSnapshot("a", "b", 2, meta, 5, new byte[] {6}, false));
    Message.SnapshotResponse r = only(drain(b), Message.SnapshotResponse.class);
    assertThat(r.nextOffset()).isEqualTo(2);
  }

  @Test
  void laggingFollowerReceivesSnapshotInChunks() {
    TestCluster c =
        new TestCluster(cfg -> cfg.withFlowControl(4, 1 << 20, 1 << 20, 7), "a", "b", "c");
    c.elect("a");
    c.isolated.add("c");
    for (int i = 0; i < 20; i++) {
      c.propose("a", "v" + i);
    }
    c.stabilize();
    RaftCore a = c.core("a");
    long applied = a.appliedIndex();
    byte[] state = new byte[100];
    Arrays.fill(state, (byte) 42);
    SnapshotMeta meta = new SnapshotMeta(applied, a.termAt(applied), ABC, java.util.Set.of());
    c.storages.get("a").installSnapshot(meta);
    a.snapshotTaken(meta, state);
    c.isolated.clear();
    int before = c.delivered.size();
    c.tickAll(5);
    long chunks =
        c.delivered.subList(before, c.delivered.size()).stream()
            .filter(m -> m instanceof InstallSnapshot && m.to().equals("c"))
            .count();
    assertThat(chunks).isGreaterThanOrEqualTo(15); // 100 bytes in 7-byte chunks
    assertThat(c.installed.get("c").data()).isEqualTo(state);
    assertThat(c.core("c").lastIndex()).isEqualTo(a.lastIndex());
    assertThat(c.core("c").commitIndex()).isEqualTo(a.commitIndex());
    a.propose("after".getBytes());
    c.stabilize();
    assertThat(c.appliedCommands("c")).containsExactly("after");
  }
}
