package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad options are refused in one line that says what is wrong and what to do, before anything is
 * started, created or written: every command here is run in-process through the real command line.
 */
class OptionChecksTest {
  private static final String HISTORY =
      "{\"index\":0,\"time\":1,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"a\",\"value\":1}\n"
          + "{\"index\":1,\"time\":2,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"key\":\"a\",\"value\":1}\n";

  @TempDir Path tmp;

  record Run(int code, String out, String err) {
    /** The first line of stderr, which carries the reason (usage may follow it). */
    String reason() {
      return err.lines().findFirst().orElse("");
    }
  }

  /** Runs a command line with both the picocli writers and System.out/err captured. */
  static Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
    ByteArrayOutputStream sysErr = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(sysErr, true, StandardCharsets.UTF_8));
      CommandLine cl = Faultline.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int code = cl.execute(args);
      return new Run(
          code,
          sysOut.toString(StandardCharsets.UTF_8) + out,
          sysErr.toString(StandardCharsets.UTF_8) + err);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Path runDir() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("runs/kv-partition/20260101T000000.000Z"));
    Files.writeString(dir.resolve("history.jsonl"), HISTORY);
    return dir;
  }

  @Test
  void checkOfARunDirectoryChecksItsHistory() throws IOException {
    Path dir = runDir();
    Run r = run("check", dir.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.VALID);
    assertThat(r.out()).startsWith("VALID  " + dir.resolve("history.jsonl"));
  }

  @Test
  void checkOfAFolderWithoutAHistorySaysWhatItLacks() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("nothing-here"));
    Run r = run("check", empty.toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .isEqualTo(
            "faultline check: "
                + empty
                + ": a folder without history.jsonl; name a history file or a run directory");
  }

  @Test
  void checkOutNamingAFileSaysItMustBeAFolderAndWritesNothing() throws IOException {
    Path dir = runDir();
    Path file = Files.writeString(tmp.resolve("results.txt"), "keep me");
    Run r = run("check", dir.toString(), "--out", file.toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.reason())
        .isEqualTo(
            "faultline: --out "
                + file
                + ": is a file, not a folder; --out names a folder (made when missing) for"
                + " results.json, check.html and the report");
    assertThat(r.out()).doesNotContain("VALID");
    assertThat(Files.readString(file)).isEqualTo("keep me");
  }

  @Test
  void clusterUpWithDataNamingAFileSaysWhatIsWrongBeforeStartingAnyNode() throws IOException {
    Path file = Files.writeString(tmp.resolve("cluster.txt"), "");
    Run r = run("cluster", "up", "--data", file.toString(), "--base-port", "19600");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.reason())
        .isEqualTo(
            "faultline: --data "
                + file
                + ": is a file, not a folder; --data names the cluster's folder of node data and"
                + " logs (default ./faultline-cluster)");
  }

  @Test
  void clusterStatusAndDownWithDataNamingAFileSayWhatIsWrong() throws IOException {
    Path file = Files.writeString(tmp.resolve("cluster.txt"), "");
    for (String sub : List.of("status", "down")) {
      Run r = run("cluster", sub, "--data", file.toString());
      assertThat(r.code()).isEqualTo(ExitCode.ERROR);
      assertThat(r.reason()).startsWith("faultline: --data " + file + ": is a file, not a folder");
    }
  }

  @Test
  void anErrorOfANestedCommandNamesTheWholeCommand() {
    Path none = tmp.resolve("no-cluster");
    Run r = run("cluster", "status", "--data", none.toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err()).startsWith("faultline cluster status: no cluster in ");
  }

  @Test
  void clusterUpWithAnUnknownBugIsRefusedBeforeAnyNodeStarts() {
    Path data = tmp.resolve("c");
    Run r = run("cluster", "up", "--data", data.toString(), "--bug", "nope");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.reason()).startsWith("faultline: --bug nope: not a deliberate bug; known bugs: ");
    assertThat(data).doesNotExist();
  }

  @Test
  void fileSystemErrorsAreSentencesNotBarePaths() {
    String s =
        Faultline.describe(new java.nio.file.FileAlreadyExistsException("/tmp/x/cluster.json"));
    assertThat(s).startsWith("/tmp/x/cluster.json: is in the way").endsWith("try again");
  }

  @Test
  void historyConvertIntoAMissingFolderIsRefusedAndCreatesNothing() throws IOException {
    Path in = runDir().resolve("history.jsonl");
    Path out = tmp.resolve("missing/dir/h.edn");
    Run r = run("history", "convert", in.toString(), out.toString(), "--to", "edn");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.reason())
        .isEqualTo(
            "faultline: OUT "
                + out
                + ": its folder "
                + out.getParent()
                + " does not exist; create it first (mkdir -p) or name another file");
    assertThat(tmp.resolve("missing")).doesNotExist();
  }

  @Test
  void historyConvertListsOnlyTheFormatsItWrites() throws IOException {
    Path in = runDir().resolve("history.jsonl");
    Path out = tmp.resolve("h.txt");
    for (String to : List.of("porcupine-kv", "nope")) {
      Run r = run("history", "convert", in.toString(), out.toString(), "--to", to);
      assertThat(r.code()).isEqualTo(ExitCode.ERROR);
      assertThat(r.reason())
          .contains("expected jsonl or edn (the formats a history is written in), found '" + to)
          .doesNotContain("porcupine-kv,")
          .doesNotContain("jepsen-log");
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void simRefusesSeedTogetherWithSeeds() {
    Run r = run("sim", "--seed", "1", "--seeds", "1..5", "--out", tmp.toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.reason())
        .isEqualTo(
            "faultline: --seed 1 and --seeds 1..5 together: give one (--seed S replays one seed,"
                + " --seeds A..B sweeps)");
    assertThat(r.out()).doesNotContain("seed 1:");
  }

  @Test
  void testWithAnUnknownBugIsRefusedBeforeARunDirectoryOrANodeExists() {
    Path store = tmp.resolve("runs");
    Run r =
        run(
            "test",
            "--bug",
            "nope",
            "--store",
            store.toString(),
            "--nodes",
            "1",
            "--nemesis",
            "none",
            "--time-limit",
            "1");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.reason()).startsWith("faultline: --bug nope: not a deliberate bug; known bugs: ");
    assertThat(r.reason()).contains("stale-read");
    assertThat(store).doesNotExist();
  }

  @Test
  void testRefusesAStoreThatHoldsAModuleRatherThanRuns() throws IOException {
    Path module = mavenModule(tmp.resolve("store"));
    Run r =
        run(
            "test",
            "--store",
            module.toString(),
            "--nodes",
            "1",
            "--nemesis",
            "none",
            "--time-limit",
            "1");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .startsWith("faultline test: --store " + module + ": holds pom.xml, src/main/")
        .contains("which are not runs")
        .endsWith("(default ./runs)")
        .doesNotContain("\n");
    try (Stream<Path> s = Files.list(module)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("pom.xml", "src");
    }
  }

  @Test
  void benchRefusesATargetThatIsNotAUrlBeforeConnecting() {
    Run r = run("bench", "--target", "notaurl", "--duration", "1s", "--warmup", "0s");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .isEqualTo(
            "faultline bench: --target notaurl: not a node's base URL; write http://HOST:PORT,"
                + " e.g. http://127.0.0.1:8080");
  }

  @Test
  void benchRefusesABadConcurrencyBeforeStartingACluster() {
    Run r = run("bench", "--concurrency", "0", "--duration", "1s", "--warmup", "0s");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip()).isEqualTo("faultline bench: --in-flight must be 1 to 4096, was 0");
    assertThat(r.out()).doesNotContain("started a 3-node cluster");
  }

  @Test
  void benchRefusesAZeroDurationBeforeStartingACluster() {
    Run r = run("bench", "--duration", "0s");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip()).startsWith("faultline bench: --duration must be positive");
    assertThat(r.out()).doesNotContain("started a 3-node cluster");
  }

  @Test
  void serveRefusesAStoreThatHoldsAModuleRatherThanRuns() throws IOException {
    Path module = mavenModule(tmp.resolve("store"));
    Run r = run("serve", "--store", module.toString(), "--port", "0");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .startsWith("faultline serve: --store " + module + ": holds pom.xml, src/main/")
        .doesNotContain("\n");
  }

  @Test
  void serveOnAnAddressOfAnotherMachineSaysSoRatherThanPortInUse() {
    Run r = run("serve", "--store", tmp.toString(), "--bind", "10.99.99.99", "--port", "19501");
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .startsWith("faultline serve: --bind 10.99.99.99: cannot listen there (")
        .endsWith("it must be an address of this machine, e.g. 127.0.0.1 or 0.0.0.0")
        .doesNotContain("in use");
  }

  @Test
  void serveOnAPortInUseNamesThePortAndTheOption() throws IOException {
    try (ServerSocket taken = bindInRange()) {
      int port = taken.getLocalPort();
      Run r = run("serve", "--store", tmp.toString(), "--port", Integer.toString(port));
      assertThat(r.code()).isEqualTo(ExitCode.ERROR);
      assertThat(r.err().strip())
          .isEqualTo(
              "faultline serve: port "
                  + port
                  + " on 127.0.0.1 is in use: stop what listens there or choose another --port");
    }
  }

  /** A listening socket on a loopback port of 19500-19999 (the range these tests may use). */
  private static ServerSocket bindInRange() throws IOException {
    for (int port = 19500; port < 20000; port++) {
      ServerSocket s = new ServerSocket();
      try {
        s.bind(new InetSocketAddress("127.0.0.1", port));
        return s;
      } catch (IOException e) {
        s.close();
      }
    }
    throw new IOException("no free loopback port in 19500-19999");
  }

  /** A folder laid out like the store Maven module: pom.xml and sources, no runs. */
  static Path mavenModule(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("src/main/java/dev/faultline/store"));
    Files.writeString(dir.resolve("pom.xml"), "<project/>");
    Files.writeString(
        dir.resolve("src/main/java/dev/faultline/store/Kv.java"), "package dev.faultline.store;");
    return dir;
  }
}
