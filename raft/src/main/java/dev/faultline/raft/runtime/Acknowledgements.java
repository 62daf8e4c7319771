package dev.faultline.raft.runtime;

import dev.faultline.raft.Message;
import dev.faultline.raft.Message.AppendResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How the replies one sync releases are sent: the acknowledgements among them folded. */
final class Acknowledgements {

  private Acknowledgements() {}

  /**
   * The replies of the batches one sync released, with the successful AppendResponses to each
   * leader in one term folded into one, the highest, where the last of them stood: a success says
   * the log matches the leader's up to its index, so the highest says all the others did. Under
   * load one sync releases several batches, and the leader then reads one acknowledgement instead
   * of one per batch. Leaving a message out, or holding it back behind others to the same node, is
   * always safe in Raft (the network may do either).
   */
  static List<Message> folded(List<Message> replies) {
    Map<List<Object>, AppendResponse> highest = new HashMap<>();
    for (Message m : replies) {
      if (m instanceof AppendResponse r && r.success()) {
        highest.merge(List.of(r.to(), r.term()), r, (x, y) -> y.index() >= x.index() ? y : x);
      }
    }
    if (highest.isEmpty()) {
      return replies;
    }
    List<Message> kept = new ArrayList<>(replies.size());
    for (int i = replies.size() - 1; i >= 0; i--) {
      Message m = replies.get(i);
      if (m instanceof AppendResponse r && r.success()) {
        AppendResponse h = highest.remove(List.of(r.to(), r.term()));
        if (h != null) {
          kept.add(h);
        }
        continue;
      }
      kept.add(m);
    }
    Collections.reverse(kept);
    return kept;
  }
}
