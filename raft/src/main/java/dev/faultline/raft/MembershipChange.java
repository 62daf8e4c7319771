package dev.faultline.raft;

import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One single-server membership change (dissertation §4.1): the configurations before and after
 * differ by one member, so any majority of the old and any majority of the new overlap.
 */
public sealed interface MembershipChange
    permits MembershipChange.AddLearner,
        MembershipChange.PromoteLearner,
        MembershipChange.RemoveMember {

  String id();

  /** The configuration after this change; throws when the change does not fit {@code current}. */
  Membership applyTo(Membership current);

  /**
   * Adds a non-voting member that receives the log. {@code address} (may be null) is how the other
   * members reach it; it travels in the configuration entry, so every node learns it.
   */
  record AddLearner(String id, String address) implements MembershipChange {

    public AddLearner(String id) {
      this(id, null);
    }

    @Override
    public Membership applyTo(Membership current) {
      if (current.contains(id)) {
        throw new IllegalArgumentException(id + " is already a member");
      }
      TreeSet<String> learners = new TreeSet<>(current.learners());
      learners.add(id);
      TreeMap<String, String> addresses = new TreeMap<>(current.addresses());
      if (address != null) {
        addresses.put(id, address);
      }
      return new Membership(current.voters(), learners, addresses);
    }
  }

  /** Makes a caught-up learner a voter. */
  record PromoteLearner(String id) implements MembershipChange {
    @Override
    public Membership applyTo(Membership current) {
      if (!current.learners().contains(id)) {
        throw new IllegalArgumentException(id + " is not a learner; add it as a learner first");
      }
      TreeSet<String> learners = new TreeSet<>(current.learners());
      learners.remove(id);
      TreeSet<String> voters = new TreeSet<>(current.voters());
      voters.add(id);
      return new Membership(voters, learners, new TreeMap<>(current.addresses()));
    }
  }

  /** Removes a voter or a learner. */
  record RemoveMember(String id) implements MembershipChange {
    @Override
    public Membership applyTo(Membership current) {
      if (!current.contains(id)) {
        throw new IllegalArgumentException(id + " is not a member");
      }
      if (current.voters().size() == 1 && current.voters().contains(id)) {
        throw new IllegalArgumentException("cannot remove " + id + ", the last voter");
      }
      TreeSet<String> voters = new TreeSet<>(current.voters());
      voters.remove(id);
      TreeSet<String> learners = new TreeSet<>(current.learners());
      learners.remove(id);
      return new Membership(voters, learners, new TreeMap<>(current.addresses()));
    }
  }
}
