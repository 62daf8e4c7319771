package dev.faultline.nemesis.os;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short external command to completion with a time bound, capturing its merged output. */
public final class Exec {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private Exec() {}

  /** The exit code and merged stdout/stderr of a finished command. */
  public record Result(List<String> argv, int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }

    /**
     * Returns this result, or throws naming the command and its last output line when it failed.
     */
    public Result orThrow() {
      if (!ok()) {
        throw new IllegalStateException(
            String.join(" ", argv) + " exited with " + exitCode + ": " + lastLine(output));
      }
      return this;
    }
  }

  public static Result run(List<String> argv) {
    return run(argv, null, DEFAULT_TIMEOUT);
  }

  /** Runs {@code argv}, feeding {@code stdin} (may be null), killing it after {@code timeout}. */
  public static Result run(List<String> argv, String stdin, Duration timeout) {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(List.copyOf(argv), 127, e.getMessage());
    }
    try {
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      byte[] out = readAll(p.getInputStream(), p, timeout);
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(List.copyOf(argv), 124, "timed out after " + timeout.toMillis() + " ms");
      }
      return new Result(List.copyOf(argv), p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", argv) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", argv) + ": interrupted", e);
    }
  }

  private static byte[] readAll(InputStream in, Process p, Duration timeout) throws IOException {
    // The reader thread keeps a chatty command from blocking on a full pipe; the timeout bounds it.
    var buffer = new java.io.ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try {
                in.transferTo(buffer);
              } catch (IOException ignored) {
                // The process was killed; what was read so far is kept.
              }
            },
            "exec-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      reader.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reader.isAlive()) {
      p.destroyForcibly();
    }
    synchronized (buffer) {
      return buffer.toByteArray();
    }
  }

  static String lastLine(String output) {
    String trimmed = output.strip();
    int nl = trimmed.lastIndexOf('\n');
    return nl < 0 ? trimmed : trimmed.substring(nl + 1);
  }
}
