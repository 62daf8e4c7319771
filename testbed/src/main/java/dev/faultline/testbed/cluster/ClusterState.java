package dev.faultline.testbed.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code faultline cluster up} started, kept as {@code cluster.json} in the cluster's data
 * directory so that {@code status} and {@code down} (other processes) can find the nodes: each
 * node's pid and start time (to tell it from a reused pid), addresses, folders and command line.
 */
public record ClusterState(List<Node> nodes) {

  public static final String FILE = "cluster.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public ClusterState {
    nodes = List.copyOf(nodes);
  }

  /**
   * One node process.
   *
   * @param startedAtMillis the process start time as the OS reports it (epoch millis), or -1
   * @param argv the full command line, replayed to restart the node
   */
  public record Node(
      String id,
      long pid,
      long startedAtMillis,
      String http,
      String grpc,
      String peer,
      String dataDir,
      String logFile,
      List<String> argv) {

    public Node {
      argv = List.copyOf(argv);
    }

    public Node withProcess(long newPid, long newStart) {
      return new Node(id, newPid, newStart, http, grpc, peer, dataDir, logFile, argv);
    }

    /** The live process of this node, if it still runs (a reused pid does not count). */
    public Optional<ProcessHandle> process() {
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(
              p ->
                  startedAtMillis < 0
                      || p.info()
                          .startInstant()
                          .map(i -> Math.abs(i.toEpochMilli() - startedAtMillis) < 2000)
                          .orElse(true));
    }
  }

  public Node node(String id) {
    return nodes.stream()
        .filter(n -> n.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no node '" + id + "' in this cluster; nodes: " + ids()));
  }

  public List<String> ids() {
    return nodes.stream().map(Node::id).toList();
  }

  public ClusterState with(Node changed) {
    return new ClusterState(
        nodes.stream().map(n -> n.id().equals(changed.id()) ? changed : n).toList());
  }

  /** Reads {@code dir/cluster.json}; empty when there is none. */
  public static Optional<ClusterState> read(Path dir) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readString(dir.resolve(FILE)), ClusterState.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Writes {@code dir/cluster.json} through a temporary file and a rename. */
  public void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE + ".tmp");
    Files.writeString(tmp, JSON.writeValueAsString(this));
    Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING);
  }
}
