package dev.faultline.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Raft scenario transcripts: each file under {@code src/test/resources/scenarios} is a sequence of
 * blocks, a command line, a {@code ----} line, and the output the command must print, ended by a
 * blank line; {@code #} lines are comments. Run with {@code -Drewrite=true} to write the actual
 * output back into the files (then review the diff).
 */
class TranscriptTest {
  private static final Path DIR = Path.of("src", "test", "resources", "scenarios");
  private static final String SEPARATOR = "----";

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertThat(files).as("scenario files in %s", DIR.toAbsolutePath()).isNotEmpty();
    return files.stream()
        .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
  }

  private static void check(Path file) throws IOException {
    String expected = Files.readString(file, StandardCharsets.UTF_8);
    String actual = replay(file.getFileName().toString(), expected);
    if (Boolean.getBoolean("rewrite")) {
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return;
    }
    assertThat(actual).as("%s (re-record with -Drewrite=true)", file).isEqualTo(expected);
  }

  /** Runs every command of {@code text} and returns the text with each output replaced. */
  static String replay(String name, String text) {
    Transcript t = new Transcript();
    List<String> lines = text.lines().toList();
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < lines.size()) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        out.add(line);
        i++;
        continue;
      }
      int lineNo = i + 1;
      out.add(line);
      i++;
      if (i >= lines.size() || !lines.get(i).equals(SEPARATOR)) {
        throw new IllegalArgumentException(
            name + " line " + lineNo + ": a command must be followed by a '----' line");
      }
      i++;
      while (i < lines.size() && !lines.get(i).isEmpty()) {
        i++; // the recorded output, replaced below
      }
      String result;
      try {
        result = t.run(line);
      } catch (RuntimeException e) {
        result = "error: " + e.getMessage();
      }
      out.add(SEPARATOR);
      if (!result.isEmpty()) {
        out.add(result);
      }
    }
    return String.join("\n", out) + "\n";
  }

  @Test
  void aChangedOutcomeIsReportedAsADifference() {
    String recorded = "nodes n1 n2\n----\n\ncampaign n1\n----\n\nstatus n1\n----\nn1: follower\n";
    assertThat(replay("inline", recorded)).isNotEqualTo(recorded).contains("n1: candidate term=1");
  }

  @Test
  void aCommandWithoutSeparatorIsRefusedWithItsLine() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> replay("x.txt", "nodes n1\nstatus\n"))
        .hasMessage("x.txt line 1: a command must be followed by a '----' line");
  }
}
