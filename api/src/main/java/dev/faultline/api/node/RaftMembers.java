package dev.faultline.api.node;

import dev.faultline.api.BackendFailure;
import dev.faultline.api.MembershipAdmin;
import dev.faultline.api.NodeAddress;
import dev.faultline.api.config.PeerList;
import dev.faultline.raft.Membership;
import dev.faultline.raft.MembershipChange;
import dev.faultline.raft.Role;
import dev.faultline.raft.runtime.NodeStatus;
import dev.faultline.raft.runtime.NotLeaderException;
import dev.faultline.raft.runtime.OutcomeUnknownException;
import dev.faultline.raft.runtime.RaftNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * {@link MembershipAdmin} over the Raft runtime: each change is one configuration entry proposed by
 * the leader (the core allows one uncommitted change at a time and refuses to promote a learner
 * that has not caught up), answered once it is applied on the leader.
 */
final class RaftMembers implements MembershipAdmin {

  private final RaftNode node;
  private final MemberDirectory directory;
  private final Executor replies;

  RaftMembers(RaftNode node, MemberDirectory directory, Executor replies) {
    this.node = node;
    this.directory = directory;
    this.replies = replies;
  }

  @Override
  public CompletableFuture<Members> members() {
    NodeStatus s = node.status();
    if (s.role() != Role.LEADER) {
      return CompletableFuture.failedFuture(notLeader(s.leader(), null));
    }
    return CompletableFuture.completedFuture(view(0));
  }

  @Override
  public CompletableFuture<Members> addLearner(NodeAddress member) {
    return change(new MembershipChange.AddLearner(member.id(), PeerList.spec(member)));
  }

  @Override
  public CompletableFuture<Members> promote(String id) {
    return change(new MembershipChange.PromoteLearner(id));
  }

  @Override
  public CompletableFuture<Members> remove(String id) {
    return change(new MembershipChange.RemoveMember(id));
  }

  private CompletableFuture<Members> change(MembershipChange change) {
    return node.changeMembership(change)
        .handleAsync(
            (index, err) -> {
              if (err != null) {
                throw failure(
                    err instanceof CompletionException && err.getCause() != null
                        ? err.getCause()
                        : err);
              }
              return view(index);
            },
            replies);
  }

  private RuntimeException failure(Throwable err) {
    if (err instanceof NotLeaderException nl) {
      if (node.id().equals(nl.leader())) {
        return new Refused(nl.getMessage());
      }
      return notLeader(nl.leader(), nl.getMessage());
    }
    if (err instanceof OutcomeUnknownException) {
      return new BackendFailure.OutcomeUnknown(
          err.getMessage() + "; read GET /v1/admin/members to see whether the change applied");
    }
    return new BackendFailure.Unavailable("node " + node.id() + ": " + err.getMessage());
  }

  private BackendFailure notLeader(String leader, String why) {
    if (leader == null || leader.equals(node.id())) {
      return new BackendFailure.Unavailable(
          "node "
              + node.id()
              + " knows no leader"
              + (why == null ? "" : " (" + why + ")")
              + "; retry shortly");
    }
    return new BackendFailure.NotLeader(
        node.id(), directory.lookup(leader).orElse(new NodeAddress(leader, null, null, null)));
  }

  private Members view(long index) {
    Membership m = directory.membership();
    NodeStatus s = node.status();
    Map<String, Long> match = node.matchIndex();
    return new Members(
        s.leader(),
        s.term(),
        index,
        node.lastIndex(),
        members(m.voters(), match),
        members(m.learners(), match));
  }

  private List<Member> members(Iterable<String> ids, Map<String, Long> match) {
    List<Member> out = new ArrayList<>();
    for (String id : ids) {
      NodeAddress a = directory.lookup(id).orElse(new NodeAddress(id, null, null, null));
      long m = id.equals(node.id()) ? node.lastIndex() : match.getOrDefault(id, -1L);
      out.add(new Member(id, a.peer(), a.http(), a.grpc(), m));
    }
    return out;
  }
}
