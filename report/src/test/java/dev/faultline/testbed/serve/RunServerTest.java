package dev.faultline.testbed.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunServerTest {
  @TempDir static Path tmp;
  static Path store;
  static RunServer server;
  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper JSON = new ObjectMapper();

  static void run(String group, String id, String verdict, String workload, long seed)
      throws IOException {
    Path dir = Files.createDirectories(store.resolve(group).resolve(id));
    Files.writeString(
        dir.resolve("test.json"),
        "{\"workload\":\""
            + workload
            + "\",\"nemesis\":\""
            + group.substring(group.indexOf('-') + 1)
            + "\",\"seed\":"
            + seed
            + "}");
    Files.writeString(
        dir.resolve("history.jsonl"),
        "{\"index\":0,\"time\":1000,\"process\":0,\"type\":\"invoke\",\"f\":\"read\"}\n"
            + "{\"index\":1,\"time\":2500000000,\"process\":0,\"type\":\"ok\",\"f\":\"read\"}\n");
    if (verdict != null) {
      Files.writeString(
          dir.resolve("results.json"),
          "{\"schema\":\"faultline-check/1\",\"verdict\":\"" + verdict + "\",\"ops\":1}");
      Files.writeString(dir.resolve("report.html"), "<html>report of " + id + "</html>");
    }
    Files.createDirectories(dir.resolve("nodes/n1"));
    Files.writeString(dir.resolve("nodes/n1/node.log"), "started\n");
  }

  @BeforeAll
  static void startServer() throws IOException {
    store = Files.createDirectories(tmp.resolve("store"));
    run("register-partition", "20260101T000000", "valid", "register", 1);
    run("register-partition", "20260103T000000", "invalid", "register", 3);
    run("kv-kill", "20260102T000000", "unknown", "kv", 2);
    run("kv-kill", "20260104T000000", null, "kv", 4);
    Files.createDirectories(store.resolve("kv-kill/20260105T000000"));
    Files.writeString(store.resolve("kv-kill/20260104T000000/results.json"), "{\"verd");
    Files.writeString(tmp.resolve("secret.txt"), "do not serve");
    server = RunServer.start(store, "127.0.0.1", 0);
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  static HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void runsAreListedNewestFirstWithVerdictWorkloadNemesisDurationOpsAndSeed() throws Exception {
    JsonNode runs = JSON.readTree(get("/api/runs").body());
    List<String> order = new ArrayList<>();
    runs.forEach(r -> order.add(r.get("id").asText()));
    assertThat(order)
        .containsExactly(
            "20260105T000000",
            "20260104T000000",
            "20260103T000000",
            "20260102T000000",
            "20260101T000000");
    JsonNode invalid = runs.get(2);
    assertThat(invalid.get("verdict").asText()).isEqualTo("invalid");
    assertThat(invalid.get("workload").asText()).isEqualTo("register");
    assertThat(invalid.get("nemesis").asText()).isEqualTo("partition");
    assertThat(invalid.get("seconds").asDouble()).isEqualTo(2.5);
    assertThat(invalid.get("ops").asLong()).isEqualTo(1);
    assertThat(invalid.get("seed").asText()).isEqualTo("3");
    String page = text(get("/"));
    assertThat(page)
        .contains("class=\"run verdict-invalid\" data-run=\"register-partition/20260103T000000\"")
        .contains("class=\"run verdict-valid\"");
  }

  @Test
  void halfWrittenAndEmptyRunsAreShownAsSuch() throws Exception {
    JsonNode runs = JSON.readTree(get("/api/runs").body());
    assertThat(runs.get(0).get("state").asText()).isEqualTo("empty");
    assertThat(runs.get(1).get("state").asText()).isEqualTo("incomplete");
    assertThat(runs.get(1).get("problems").get(0).asText()).startsWith("results.json: unreadable");
    HttpResponse<byte[]> page = get("/runs/kv-kill/20260104T000000/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(text(page)).contains("State: <b>incomplete</b>").contains("No report.html");
    HttpResponse<byte[]> empty = get("/runs/kv-kill/20260105T000000/");
    assertThat(empty.statusCode()).isEqualTo(200);
    assertThat(text(empty)).contains("State: <b>empty</b>");
    assertThat(text(get("/"))).contains("<td class=\"v\">incomplete</td>");
  }

  @Test
  void filtersSelectByVerdictWorkloadAndNemesis() throws Exception {
    assertThat(JSON.readTree(get("/api/runs?verdict=invalid").body()))
        .extracting(n -> n.get("id").asText())
        .containsExactly("20260103T000000");
    assertThat(JSON.readTree(get("/api/runs?workload=kv").body())).hasSize(3);
    assertThat(JSON.readTree(get("/api/runs?nemesis=partition&verdict=valid").body()))
        .extracting(n -> n.get("id").asText())
        .containsExactly("20260101T000000");
    String page = text(get("/?verdict=unknown"));
    assertThat(page).contains("20260102T000000").doesNotContain("20260103T000000");
    assertThat(page).contains("<option value=\"unknown\" selected>");
  }

  @Test
  void aRunOpensOnItsReportAndServesItsRawFiles() throws Exception {
    HttpResponse<byte[]> report = get("/runs/register-partition/20260103T000000/");
    assertThat(text(report)).isEqualTo("<html>report of 20260103T000000</html>");
    assertThat(report.headers().firstValue("content-type"))
        .get()
        .asString()
        .startsWith("text/html");
    HttpResponse<byte[]> log = get("/runs/register-partition/20260103T000000/nodes/n1/node.log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(text(log)).isEqualTo("started\n");
    HttpResponse<byte[]> noSlash = get("/runs/register-partition/20260103T000000");
    assertThat(noSlash.statusCode()).isEqualTo(302);
    assertThat(noSlash.headers().firstValue("location"))
        .contains("/runs/register-partition/20260103T000000/");
  }

  @Test
  void aRunDownloadsAsAZipOfItsFiles() throws Exception {
    HttpResponse<byte[]> zip = get("/zip/register-partition/20260103T000000");
    assertThat(zip.statusCode()).isEqualTo(200);
    assertThat(zip.headers().firstValue("content-type")).contains("application/zip");
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    String p = "register-partition-20260103T000000/";
    assertThat(names)
        .containsExactly(
            p + "history.jsonl",
            p + "nodes/n1/node.log",
            p + "report.html",
            p + "results.json",
            p + "test.json");
  }

  @Test
  void unknownRunsAndFilesAre404() throws Exception {
    assertThat(get("/runs/register-partition/19990101T000000/").statusCode()).isEqualTo(404);
    assertThat(get("/runs/register-partition/20260103T000000/nope.log").statusCode())
        .isEqualTo(404);
    assertThat(get("/zip/nope/nope").statusCode()).isEqualTo(404);
    assertThat(text(get("/runs/nope/x/"))).contains("No run nope/x.");
  }

  @Test
  void pathTraversalIsRefused() throws Exception {
    for (String path :
        List.of(
            "/runs/register-partition/20260103T000000/..%2F..%2F..%2Fsecret.txt",
            "/runs/register-partition/20260103T000000/%2e%2e/%2e%2e/%2e%2e/secret.txt",
            "/runs/..%2F..%2Fsecret.txt/x/",
            "/runs/register-partition/..%2F..%2F/secret.txt",
            "/zip/..%2F../store")) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).as(path).isIn(400, 404);
      assertThat(text(r)).as(path).doesNotContain("do not serve");
    }
    // A raw request, not normalised by the client.
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              ("GET /runs/register-partition/20260103T000000/../../../secret.txt HTTP/1.1\r\n"
                      + "Host: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).doesNotContain("do not serve");
      assertThat(answer).startsWith("HTTP/1.1 4");
    }
  }

  @Test
  void rawFilesAreServedWithTextContentTypes() throws Exception {
    HttpResponse<byte[]> h = get("/runs/register-partition/20260103T000000/history.jsonl");
    assertThat(h.headers().firstValue("content-type")).contains("text/plain;charset=utf-8");
    HttpResponse<byte[]> r = get("/runs/register-partition/20260103T000000/results.json");
    assertThat(r.headers().firstValue("content-type"))
        .get()
        .asString()
        .startsWith("application/json");
  }

  @Test
  void aBrokenPercentEscapeInThePathIsABadRequestNotAServerError() throws Exception {
    for (String target : List.of("/runs/%2/x?x=1", "/runs/kv-kill/%u002e", "/zip/a/%")) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(10_000);
        s.getOutputStream()
            .write(
                ("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).as(target).startsWith("HTTP/1.1 400");
      }
    }
  }
}
