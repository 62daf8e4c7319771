package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Faultline.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void reportRegeneratesReportAndJunitFromTheRunsFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("register-none/20260101T000000"));
    Files.writeString(
        dir.resolve("history.jsonl"),
        "{\"time\":0,\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"value\":1}\n"
            + "{\"time\":9,\"process\":0,\"type\":\"ok\",\"f\":\"write\",\"value\":1}\n");
    Files.writeString(
        dir.resolve("results.json"),
        "{\"schema\":\"faultline-check/1\",\"verdict\":\"valid\",\"ops\":1}");
    Result r = run("report", dir.toString());
    assertThat(r.code()).isEqualTo(ExitCode.VALID);
    assertThat(r.out()).contains("(verdict: valid)");
    assertThat(dir.resolve("report.html")).exists();
    assertThat(Files.readString(dir.resolve("junit.xml"))).contains("<testcase");
  }

  @Test
  void reportOfAMissingDirectoryIsAOneLineErrorWithExitCode3() {
    Path missing = tmp.resolve("gone");
    Result r = run("report", missing.toString());
    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(r.err().strip())
        .isEqualTo(
            "faultline report: "
                + missing
                + ": not a run directory (it does not exist or is not a folder)");
  }

  @Test
  void serveListensOnLoopbackPort8070AndTheRunsFolderByDefault() {
    ServeCommand serve = CommandLine.populateCommand(new ServeCommand());
    assertThat(serve.bind).isEqualTo("127.0.0.1");
    assertThat(serve.port).isEqualTo(8070);
    assertThat(serve.store).isEqualTo(Path.of("runs"));
  }
}
