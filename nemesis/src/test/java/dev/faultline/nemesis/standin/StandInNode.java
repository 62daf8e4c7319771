package dev.faultline.nemesis.standin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a store node: a line protocol on TCP {@value #CONTROL_PORT} and a datagram
 * listener on UDP {@value #DATAGRAM_PORT}, so a test can ask it whether it reaches its peers.
 *
 * <ul>
 *   <li>{@code ping} answers {@code pong <id> <pid> <currentTimeMillis> <nanoTime>}
 *   <li>{@code udp <host> <token>} sends the token to the host's datagram port
 *   <li>{@code heard <token>} answers {@code yes} once a datagram with that token arrived
 *   <li>{@code tcp <host>} answers {@code yes} when a {@code ping} to the host gets a pong
 *   <li>{@code leader} answers the id written in the {@code leader} file of its data dir, if any
 * </ul>
 */
public final class StandInNode {
  public static final int CONTROL_PORT = 7000;
  public static final int DATAGRAM_PORT = 7001;

  public static void main(String[] args) throws IOException {
    String id = args[0];
    String host = args[1];
    InetAddress address = InetAddress.getByName(host);
    Set<String> heard = ConcurrentHashMap.newKeySet();
    DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, DATAGRAM_PORT));
    Thread listener =
        new Thread(
            () -> {
              byte[] buffer = new byte[512];
              while (true) {
                var packet = new DatagramPacket(buffer, buffer.length);
                try {
                  udp.receive(packet);
                } catch (IOException e) {
                  return;
                }
                heard.add(
                    new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
              }
            },
            "udp");
    listener.setDaemon(true);
    listener.start();
    ExecutorService workers = Executors.newCachedThreadPool();
    try (var server = new ServerSocket()) {
      server.bind(new InetSocketAddress(address, CONTROL_PORT));
      System.out.println(id + " listening on " + host);
      System.out.flush();
      while (true) {
        Socket client = server.accept();
        workers.execute(() -> serve(id, client, udp, heard));
      }
    }
  }

  private static void serve(String id, Socket client, DatagramSocket udp, Set<String> heard) {
    try (client;
        var in =
            new BufferedReader(
                new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        var out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split(" ");
        out.println(
            switch (words[0]) {
              case "ping" ->
                  "pong "
                      + id
                      + " "
                      + ProcessHandle.current().pid()
                      + " "
                      + System.currentTimeMillis()
                      + " "
                      + System.nanoTime();
              case "udp" -> {
                byte[] token = words[2].getBytes(StandardCharsets.UTF_8);
                var to = new InetSocketAddress(words[1], DATAGRAM_PORT);
                for (int i = 0; i < 3; i++) {
                  udp.send(new DatagramPacket(token, token.length, to));
                }
                yield "sent";
              }
              case "heard" -> heard.contains(words[1]) ? "yes" : "no";
              case "tcp" -> ControlClient.ask(words[1], "ping", 1000).isPresent() ? "yes" : "no";
              default -> "unknown command " + words[0];
            });
      }
    } catch (IOException e) {
      // The asker went away.
    }
  }
}
