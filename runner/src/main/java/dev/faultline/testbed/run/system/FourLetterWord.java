package dev.faultline.testbed.run.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends one short text command over a fresh TCP connection and reads the answer until the server
 * closes it or {@code limit} bytes (ZooKeeper's four-letter words, Redis's inline commands).
 */
public final class FourLetterWord {
  private FourLetterWord() {}

  /** The answer, or empty when the server cannot be reached or does not answer in time. */
  public static Optional<String> ask(
      String host, int port, String command, Duration timeout, int limit) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      var out = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; out.size() < limit && (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
        if (command.endsWith("\r\n") && out.toString(StandardCharsets.UTF_8).endsWith("\r\n")) {
          break; // a Redis reply: one line or a bulk string that ends with CRLF
        }
      }
      return Optional.of(out.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
