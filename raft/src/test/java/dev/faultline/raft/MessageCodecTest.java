package dev.faultline.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.raft.Message.AppendEntries;
import dev.faultline.raft.Message.AppendResponse;
import dev.faultline.raft.Message.Heartbeat;
import dev.faultline.raft.Message.HeartbeatResponse;
import dev.faultline.raft.Message.InstallSnapshot;
import dev.faultline.raft.Message.PreVote;
import dev.faultline.raft.Message.PreVoteResponse;
import dev.faultline.raft.Message.RequestVote;
import dev.faultline.raft.Message.RequestVoteResponse;
import dev.faultline.raft.Message.SnapshotResponse;
import dev.faultline.raft.Message.TimeoutNow;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
  static final List<Message> SAMPLES =
      List.of(
          new PreVote("n1", "n2", 4, 10, 3),
          new PreVoteResponse("n2", "n1", 4, true),
          new RequestVote("n1", "n2", 4, 10, 3, true),
          new RequestVoteResponse("n2", "n1", 4, false),
          new AppendEntries(
              "n1",
              "n2",
              4,
              9,
              3,
              List.of(
                  new Entry(10, 4, Entry.Type.NOOP, new byte[0]),
                  new Entry(11, 4, Entry.Type.COMMAND, new byte[] {1, 2, 3})),
              8),
          new AppendResponse("n2", "n1", 4, false, 9, 7, 2),
          new Heartbeat("n1", "n2", 4, 8, 17),
          new HeartbeatResponse("n2", "n1", 4, 17),
          new InstallSnapshot(
              "n1",
              "n2",
              4,
              new SnapshotMeta(100, 3, Set.of("n1", "n2"), Set.of("n3")),
              64,
              new byte[] {9, 8},
              true),
          new SnapshotResponse("n2", "n1", 4, 100, 66),
          new TimeoutNow("n1", "n2", 4));

  @Test
  void everyMessageKindSurvivesARoundTrip() {
    for (Message m : SAMPLES) {
      byte[] bytes = MessageCodec.encode(m);
      Message back = MessageCodec.decode(bytes);
      assertThat(back.getClass()).isEqualTo(m.getClass());
      assertThat(MessageCodec.encode(back)).isEqualTo(bytes);
      if (!(m instanceof InstallSnapshot)) {
        assertThat(back).isEqualTo(m);
      }
    }
  }

  @Test
  void truncatedMessageIsRejectedWithItsOffset() {
    byte[] bytes = MessageCodec.encode(SAMPLES.get(4));
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 2);
    assertThatThrownBy(() -> MessageCodec.decode(cut))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated at byte");
  }

  @Test
  void unknownVersionIsRejected() {
    byte[] bytes = MessageCodec.encode(SAMPLES.get(0));
    bytes[0] = 9;
    assertThatThrownBy(() -> MessageCodec.decode(bytes)).hasMessageContaining("version 9");
  }
}
