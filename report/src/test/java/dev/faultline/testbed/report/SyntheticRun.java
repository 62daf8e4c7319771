package dev.faultline.testbed.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.faultline.checker.CheckOptions;
import dev.faultline.checker.CheckResult;
import dev.faultline.checker.Checker;
import dev.faultline.checker.ResultsJson;
import dev.faultline.checker.report.CheckReportPage;
import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.Op;
import dev.faultline.histories.OpType;
import dev.faultline.histories.format.HistoryFiles;
import dev.faultline.histories.format.HistoryFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded synthetic runs for tests: a key-value history by concurrent clients in which every op
 * takes effect at its completion (so it is linearizable), with a partition and a kill window that
 * make calls slow, fail or time out; optionally one stale read at the end that makes it invalid.
 */
final class SyntheticRun {
  private SyntheticRun() {}

  static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  static final String[] NODES = {"n1", "n2", "n3"};

  /** A fault window of the synthetic runs, in nanoseconds. */
  record Fault(String name, String target, long start, long end) {}

  static List<Fault> faults(long span) {
    return List.of(
        new Fault("partition", "n1", span / 6, span / 3),
        new Fault("kill", "n2", span * 7 / 12, span * 3 / 4));
  }

  private record Pending(
      long process,
      long invoke,
      long done,
      String f,
      String key,
      Long value,
      OpType type,
      String node) {}

  /** A linearizable history (plus one stale read at the end when {@code invalid}). */
  static History history(long seed, int clients, Duration length, int keys, boolean invalid) {
    Random rnd = new Random(seed);
    long span = length.toNanos();
    List<Fault> faults = faults(span);
    List<Pending> calls = new ArrayList<>();
    long nextProcess = clients;
    for (int c = 0; c < clients; c++) {
      long process = c;
      long t = rnd.nextInt(2_000_000);
      while (true) {
        boolean faulty = false;
        for (Fault f : faults) {
          faulty |= t >= f.start() && t < f.end();
        }
        int roll = rnd.nextInt(100);
        OpType type;
        long latency;
        if (faulty && roll < 30) {
          type = OpType.FAIL;
          latency = 1_000_000 + rnd.nextInt(5_000_000);
        } else if (faulty && roll < 40) {
          type = OpType.INFO;
          latency = 500_000_000;
        } else {
          type = OpType.OK;
          latency = (faulty ? 20_000_000 : 1_000_000) + (long) (rnd.nextDouble() * 9_000_000);
        }
        if (t + latency > span) {
          break;
        }
        String f = rnd.nextInt(2) == 0 ? "read" : "write";
        String key = "k" + rnd.nextInt(keys);
        String node = NODES[rnd.nextInt(NODES.length)];
        calls.add(new Pending(process, t, t + latency, f, key, null, type, node));
        if (type == OpType.INFO) {
          process = nextProcess++;
        }
        t += latency + rnd.nextInt(2_000_000);
      }
    }
    record Event(long time, int order, Pending call, boolean invoke, Fault fault, boolean start) {}
    List<Event> events = new ArrayList<>();
    for (Pending p : calls) {
      events.add(new Event(p.invoke(), 1, p, true, null, false));
      events.add(new Event(p.done(), 0, p, false, null, false));
    }
    for (Fault f : faults) {
      events.add(new Event(f.start(), 2, null, false, f, true));
      events.add(new Event(f.end(), 2, null, false, f, false));
    }
    events.sort(Comparator.comparingLong(Event::time).thenComparingInt(Event::order));
    Map<String, Long> state = new HashMap<>();
    Map<Pending, Long> written = new HashMap<>();
    long counter = 0;
    HistoryBuilder b = new HistoryBuilder();
    int i = 0;
    for (Event e : events) {
      if (e.fault() != null) {
        String f = (e.start() ? "start-" : "stop-") + e.fault().name();
        b.add(
            new Op(
                i++,
                e.time(),
                Op.NEMESIS,
                OpType.INFO,
                f,
                null,
                Map.of("targets", List.of(e.fault().target())),
                null,
                null));
        continue;
      }
      Pending p = e.call();
      if (e.invoke()) {
        Long value = null;
        if (p.f().equals("write")) {
          value = ++counter;
          written.put(p, value);
        }
        b.add(new Op(i++, e.time(), p.process(), OpType.INVOKE, p.f(), p.key(), value, null, null));
        continue;
      }
      Object value;
      if (p.f().equals("write")) {
        value = written.get(p);
        // An info write may or may not take effect; this one does, half the time.
        if (p.type() == OpType.OK || (p.type() == OpType.INFO && (p.invoke() / 1000) % 2 == 0)) {
          state.put(p.key(), (Long) value);
        }
      } else {
        value = p.type() == OpType.OK ? state.get(p.key()) : null;
      }
      String error =
          p.type() == OpType.FAIL ? "no-leader" : p.type() == OpType.INFO ? "timeout" : null;
      b.add(new Op(i++, e.time(), p.process(), p.type(), p.f(), p.key(), value, p.node(), error));
    }
    if (invalid) {
      long t = span + 1_000_000;
      long value = ++counter;
      b.add(new Op(i++, t, 1000, OpType.INVOKE, "write", "k0", value, null, null));
      b.add(new Op(i++, t + 2_000_000, 1000, OpType.OK, "write", "k0", value, "n1", null));
      b.add(new Op(i++, t + 3_000_000, 1001, OpType.INVOKE, "read", "k0", null, null, null));
      b.add(new Op(i++, t + 4_000_000, 1001, OpType.OK, "read", "k0", value - 1, "n3", null));
    }
    return b.build();
  }

  /**
   * Writes a complete run directory: history.jsonl, test.json, node logs, and (when {@code check})
   * the checker's results.json and check.html.
   */
  static Path write(Path dir, History history, long seed, boolean check) throws IOException {
    Files.createDirectories(dir);
    HistoryFiles.write(history, dir.resolve(RunDirectory.HISTORY), HistoryFormat.JSONL);
    ObjectMapper json = new ObjectMapper();
    // The shape the runner writes (dev.faultline.testbed.run.ReportWriter).
    ObjectNode test = json.createObjectNode();
    test.put("schema", "faultline-test-options/1");
    test.put("started", START.toString());
    test.put("commit", "abc1234");
    test.putArray("command_line")
        .add("test")
        .add("--workload")
        .add("register")
        .add("--nemesis")
        .add("partition,kill")
        .add("--seed")
        .add(Long.toString(seed));
    test.put("seed", seed);
    ObjectNode options = test.putObject("options");
    options.put("workload", "register");
    options.put("nemesis", "partition,kill");
    options.put("seed", seed);
    options.put("time_limit_s", Series.span(history) / 1e9);
    json.writeValue(dir.resolve(RunDirectory.TEST).toFile(), test);
    long span = Series.span(history);
    writeLogs(dir, span);
    if (check) {
      CheckResult r =
          Checker.check(history, CheckOptions.defaults().withTimeout(Duration.ofSeconds(60)));
      java.io.ByteArrayOutputStream checker = new java.io.ByteArrayOutputStream();
      ResultsJson.write(r, checker);
      ObjectNode results = json.createObjectNode();
      results.put("schema", "faultline-test/1");
      results.put("verdict", r.verdict().wireName());
      results.putObject("ops").put("total", history.calls().size());
      results.put("elapsed_s", Series.span(history) / 1e9);
      results.set("check", json.readTree(checker.toByteArray()));
      json.writeValue(dir.resolve(RunDirectory.RESULTS).toFile(), results);
      CheckReportPage.write(history, r, dir.resolve(RunDirectory.CHECK));
    }
    return dir;
  }

  /** n1 logs with logback's HH:mm:ss.SSS stamps (UTC), n2 without any stamps. */
  private static void writeLogs(Path dir, long span) throws IOException {
    DateTimeFormatter hms = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    List<String> n1 = new ArrayList<>();
    for (long t = 0; t <= span + 5_000_000_000L; t += 500_000_000L) {
      LocalDateTime at = LocalDateTime.ofInstant(START.plusNanos(t), ZoneOffset.UTC);
      n1.add(hms.format(at) + " INFO  raft - tick at " + t / 1_000_000 + " ms");
    }
    Files.createDirectories(dir.resolve("nodes/n1"));
    Files.write(dir.resolve("nodes/n1/node.log"), n1);
    List<String> n2 = new ArrayList<>();
    for (int k = 0; k < 100; k++) {
      n2.add("line " + k + " of a log without timestamps");
    }
    Files.createDirectories(dir.resolve("nodes/n2"));
    Files.write(dir.resolve("nodes/n2/node.log"), n2);
  }
}
