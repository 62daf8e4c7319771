package dev.faultline.testbed.run.system;

import dev.faultline.testbed.plan.FaultKind;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A system Faultline can test: how to find or install its programs, which workloads and faults it
 * can serve, and, per run, its nodes ({@link SystemNodes}). Our own node is one such system; etcd,
 * ZooKeeper, Redis and any program that speaks the HTTP KV protocol are others. An instance is
 * built from a {@link SystemSpec} whose options it has validated.
 */
public interface SystemUnderTest {
  /** The name {@code --db} takes, e.g. {@code etcd}. */
  String name();

  /** Every option with its value (defaults filled in), for test.json and the report. */
  Map<String, String> options();

  /** The workloads whose ops this system's client can serve. */
  Set<String> workloads();

  /** The faults that make sense against this system. */
  Set<FaultKind> faults();

  /**
   * Why this system does not take the fault {@code kind} (one of those missing from {@link
   * #faults()}), as a parenthesised clause, or empty to let the caller give the general reason.
   */
  default String whyNot(FaultKind kind) {
    return "";
  }

  /**
   * Why this system cannot run with the rest of the options (TLS, Toxiproxy, Docker, a bug, a
   * protocol), in one line, or empty when it can. Workloads and faults are checked by the caller
   * against {@link #workloads()} and {@link #faults()}.
   */
  default Optional<String> refusal(RunShape shape) {
    return Optional.empty();
  }

  /**
   * Makes sure the system's programs are on this machine, installing their Debian packages when
   * this process is real root, and returns the version found (e.g. {@code 3.4.23}).
   *
   * @throws IllegalStateException in one line naming the missing package when it is not installed
   *     and cannot be
   */
  String install();

  /** The version of the installed programs, or {@code unknown}; never installs. */
  String version();

  /** Opens this system's nodes for one run; nothing starts until the cluster starts them. */
  SystemNodes open(NodeContext context) throws Exception;

  /** What the rest of a run asks for, for {@link #refusal}. */
  record RunShape(
      boolean tls,
      boolean proxiedLinks,
      boolean docker,
      Optional<String> bug,
      String protocol,
      int nodes) {}
}
