package dev.faultline.nemesis.faults;

/** Which nodes a process fault hits, in the manner of Jepsen's node specs. */
public enum Target {
  /** One random node. */
  ONE,
  /** A random largest strict minority: (n-1)/2 nodes. */
  MINORITY,
  /** A random bare majority: n/2+1 nodes. */
  MAJORITY,
  /** The current leader (none when no leader is known). */
  LEADER,
  /** Every node. */
  ALL
}
