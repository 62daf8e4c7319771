package dev.faultline.nemesis.standin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Talks to a {@link StandInNode}: one request line, one answer line, bounded in time. */
public final class ControlClient {
  private ControlClient() {}

  /** The answer, or empty when the node cannot be reached or does not answer in time. */
  public static Optional<String> ask(String host, String request, int timeoutMillis) {
    try (var socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, StandInNode.CONTROL_PORT), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
      var in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out.println(request);
      return Optional.ofNullable(in.readLine());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Sends a datagram straight to a node's datagram port. */
  public static void datagram(String host, String token) throws IOException {
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    try (var socket = new DatagramSocket()) {
      for (int i = 0; i < 3; i++) {
        socket.send(
            new DatagramPacket(
                bytes, bytes.length, new InetSocketAddress(host, StandInNode.DATAGRAM_PORT)));
      }
    }
  }
}
