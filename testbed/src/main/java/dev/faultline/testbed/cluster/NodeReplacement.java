package dev.faultline.testbed.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Replaces a member of a {@code cluster up} cluster through membership change, the safe way to
 * bring back a node that lost its data: a node with a NEW id (never the old one: a node that forgot
 * what it acknowledged must not vote under its old identity) is started in join mode, added as a
 * learner, promoted once the leader finds it caught up, and only then is the old member removed. At
 * every step the old configuration's majority still decides, so the cluster never has fewer live
 * voters than before. The state file then names the new node instead of the old one.
 */
public final class NodeReplacement {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NODE_ID = Pattern.compile("n(\\d+)");

  /** What changed: the new member and the voters after the change. */
  public record Result(String oldId, ClusterState.Node added, List<String> voters) {}

  private final ProcessCluster cluster;
  private final Duration timeout;
  private long deadline;

  public NodeReplacement(ProcessCluster cluster, Duration timeout) {
    this.cluster = cluster;
    this.timeout = timeout;
  }

  /** Replaces {@code oldId}; throws with a one-line reason when it cannot. */
  public Result replace(String oldId) throws IOException, InterruptedException {
    deadline = System.nanoTime() + timeout.toNanos();
    ClusterState state = cluster.state();
    if (!state.ids().contains(oldId)) {
      throw new IllegalStateException(
          "cannot replace "
              + oldId
              + ": no such node in "
              + cluster.dir()
              + "; its nodes are "
              + String.join(", ", state.ids()));
    }
    if (cluster.tls()) {
      throw new IllegalStateException(
          "cannot replace "
              + oldId
              + ": replace-node does not issue certificates for a --tls cluster yet; follow the"
              + " offline procedure in docs/CLUSTER.md");
    }
    ClusterState.Node old = state.node(oldId);
    cluster.expectDown(oldId, true);
    String leader;
    try {
      leader = cluster.awaitLeader(left());
    } catch (IllegalStateException e) {
      throw new IllegalStateException("cannot replace " + oldId + ": " + e.getMessage(), e);
    }
    if (leader.equals(oldId)) {
      throw new IllegalStateException(
          "cannot replace "
              + oldId
              + ": it is the leader; stop it first (the others elect a new one), then retry");
    }

    ClusterState.Node fresh = newNode(state, old);
    cluster.addNode(fresh);
    cluster.start(fresh.id());
    boolean promoted = false;
    try {
      awaitServing(fresh);
      admin(
          "POST",
          "/v1/admin/members",
          memberBody(fresh),
          "add " + fresh.id() + " as a learner",
          fresh.id() + " is already a member");
      awaitPromoted(fresh.id());
      promoted = true;
      admin(
          "DELETE",
          "/v1/admin/members/" + oldId,
          null,
          "remove " + oldId,
          oldId + " is not a member");
    } catch (IOException | RuntimeException e) {
      if (!promoted) {
        undo(fresh);
        throw new IllegalStateException(
            "cannot replace " + oldId + ": " + e.getMessage() + "; the cluster is unchanged", e);
      }
      throw new IllegalStateException(
          "replacing "
              + oldId
              + ": "
              + fresh.id()
              + " is a voter, but "
              + oldId
              + " is still a member: "
              + e.getMessage()
              + "; remove it with DELETE /v1/admin/members/"
              + oldId
              + " on the leader",
          e);
    }
    old.process().ifPresent(p -> cluster.stop(oldId, Duration.ofSeconds(10)));
    cluster.removeNode(oldId);
    JsonNode members = admin("GET", "/v1/admin/members", null, "read the configuration", null);
    List<String> voters = new ArrayList<>();
    members.path("voters").forEach(v -> voters.add(v.path("id").asText()));
    return new Result(oldId, cluster.state().node(fresh.id()), voters);
  }

  /** The next id after every id this cluster has used (state file and node folders alike). */
  private ClusterState.Node newNode(ClusterState state, ClusterState.Node template)
      throws IOException {
    int max = 0;
    int base = -1;
    for (ClusterState.Node n : state.nodes()) {
      Matcher m = NODE_ID.matcher(n.id());
      if (m.matches()) {
        int i = Integer.parseInt(m.group(1));
        max = Math.max(max, i);
        base = port(n.http()) - (i - 1);
      }
    }
    try (Stream<Path> folders = Files.list(cluster.dir())) {
      for (Path f : folders.filter(Files::isDirectory).toList()) {
        Matcher m = NODE_ID.matcher(f.getFileName().toString());
        if (m.matches()) {
          max = Math.max(max, Integer.parseInt(m.group(1)));
        }
      }
    }
    int k = max + 1;
    if (base < 0 || k > 99) {
      throw new IllegalStateException(
          "cannot replace "
              + template.id()
              + ": no free node id and port layout left (ids n1..n99 from the base port)");
    }
    String id = "n" + k;
    String host = host(template.http());
    String http = host + ":" + (base + k - 1);
    String grpc = host + ":" + (base + 100 + k - 1);
    String peer = host + ":" + (base + 200 + k - 1);
    ProcessCluster.requireFree(host, base + k - 1, id + "'s HTTP");
    ProcessCluster.requireFree(host, base + 100 + k - 1, id + "'s gRPC");
    ProcessCluster.requireFree(host, base + 200 + k - 1, id + "'s Raft peer");
    Path nodeDir = cluster.dir().resolve(id);
    List<String> peers = new ArrayList<>();
    for (ClusterState.Node n : state.nodes()) {
      if (!n.id().equals(template.id())) {
        peers.add(n.id() + "=peer=" + n.peer() + ";http=" + n.http() + ";grpc=" + n.grpc());
      }
    }
    List<String> argv =
        joinArgv(
            template.argv(), id, nodeDir.toString(), http, grpc, peer, String.join(",", peers));
    return new ClusterState.Node(
        id,
        -1,
        -1,
        http,
        grpc,
        peer,
        nodeDir.toString(),
        nodeDir.resolve("node.log").toString(),
        argv);
  }

  /** The template's command line with this node's identity, addresses and peers, plus --join. */
  static List<String> joinArgv(
      List<String> template,
      String id,
      String data,
      String http,
      String grpc,
      String peer,
      String peers) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < template.size(); i++) {
      String a = template.get(i);
      String value =
          switch (a) {
            case "--id" -> id;
            case "--data" -> data;
            case "--http" -> http;
            case "--grpc" -> grpc;
            case "--peer" -> peer;
            case "--peers" -> peers;
            default -> null;
          };
      out.add(a);
      if (value != null && i + 1 < template.size()) {
        out.add(value);
        i++;
      }
      if (a.equals("--join")) {
        out.remove(out.size() - 1);
      }
    }
    out.add("--join");
    return out;
  }

  private void awaitServing(ClusterState.Node fresh) throws IOException, InterruptedException {
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (cluster.state().node(fresh.id()).process().isEmpty()) {
        throw new IllegalStateException(
            "new node " + fresh.id() + " exited at start; see " + fresh.dataDir() + "/stdout.log");
      }
      try {
        HttpResponse<String> r =
            cluster.send(
                HttpRequest.newBuilder(URI.create(cluster.url(fresh.http()) + "/healthz"))
                    .timeout(Duration.ofSeconds(2)));
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode();
      } catch (IOException e) {
        last = e.getClass().getSimpleName();
      }
      pause();
    }
    throw new IllegalStateException(
        "new node "
            + fresh.id()
            + " did not serve within "
            + timeout.toSeconds()
            + " s ("
            + last
            + ")");
  }

  private void awaitPromoted(String id) throws IOException, InterruptedException {
    String last = "";
    while (System.nanoTime() < deadline) {
      Optional<Answer> a = call("POST", "/v1/admin/members/" + id + "/promote", null);
      if (a.isPresent() && a.get().status() == 200) {
        return;
      }
      if (a.isPresent() && a.get().status() == 409 && !a.get().error().contains("retry")) {
        throw new IllegalStateException("promoting " + id + " was refused: " + a.get().error());
      }
      last = a.map(Answer::error).orElse("no leader");
      pause();
    }
    throw new IllegalStateException(
        id + " did not catch up within " + timeout.toSeconds() + " s (last: " + last + ")");
  }

  /**
   * Runs an admin request on the leader, retrying while no leader answers, the outcome is unknown
   * or the leader asks for a retry; fails on any other refusal. A refusal containing {@code done}
   * (the change is already in force, after an attempt whose outcome was unknown) counts as success.
   */
  private JsonNode admin(String method, String path, String body, String what, String done)
      throws IOException, InterruptedException {
    String last = "no leader";
    while (System.nanoTime() < deadline) {
      Optional<Answer> a = call(method, path, body);
      if (a.isPresent() && a.get().status() == 200) {
        return a.get().json();
      }
      if (a.isPresent() && done != null && a.get().error().contains(done)) {
        return a.get().json();
      }
      boolean retry = a.isPresent() && a.get().error().contains("retry");
      if (a.isPresent() && a.get().status() >= 400 && a.get().status() < 500 && !retry) {
        throw new IllegalStateException(
            "could not " + what + ": HTTP " + a.get().status() + " " + a.get().error());
      }
      last = a.map(x -> "HTTP " + x.status() + " " + x.error()).orElse("no leader answered");
      pause();
    }
    throw new IllegalStateException(
        "could not " + what + " within " + timeout.toSeconds() + " s (" + last + ")");
  }

  private record Answer(int status, JsonNode json) {
    String error() {
      return json.path("error").asText("");
    }
  }

  /** Sends to the nodes in turn, following one redirect to the leader; empty when none answered. */
  private Optional<Answer> call(String method, String path, String body)
      throws IOException, InterruptedException {
    for (ClusterState.Node n : cluster.state().nodes()) {
      if (n.process().isEmpty()) {
        continue;
      }
      String url = cluster.url(n.http()) + path;
      for (int hop = 0; hop < 2; hop++) {
        HttpResponse<String> r;
        try {
          r = cluster.send(request(method, url, body));
        } catch (IOException e) {
          break;
        }
        if (r.statusCode() == 307 && r.headers().firstValue("Location").isPresent()) {
          url = r.headers().firstValue("Location").get();
          continue;
        }
        if (r.statusCode() == 503 || r.statusCode() == 307) {
          break;
        }
        JsonNode json;
        try {
          json = JSON.readTree(r.body());
        } catch (IOException e) {
          json = JSON.createObjectNode().put("error", r.body());
        }
        return Optional.of(new Answer(r.statusCode(), json));
      }
    }
    return Optional.empty();
  }

  private static HttpRequest.Builder request(String method, String url, String body) {
    return HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
  }

  private static String memberBody(ClusterState.Node n) {
    return JSON.createObjectNode()
        .put("id", n.id())
        .put("peer", n.peer())
        .put("http", n.http())
        .put("grpc", n.grpc())
        .toString();
  }

  /** Takes the new node back out: removed as a learner when it was added, stopped, forgotten. */
  private void undo(ClusterState.Node fresh) {
    try {
      call("DELETE", "/v1/admin/members/" + fresh.id(), null);
    } catch (IOException e) {
      // best effort: a learner that never votes does not change any majority
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cluster.stop(fresh.id(), Duration.ofSeconds(10));
    try {
      cluster.removeNode(fresh.id());
    } catch (IOException e) {
      // the state file keeps naming a stopped node; status shows it as not alive
    }
  }

  private Duration left() {
    return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
  }

  private void pause() throws InterruptedException {
    Thread.sleep(200); // polling interval, bounded by the deadline
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  private static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }
}
