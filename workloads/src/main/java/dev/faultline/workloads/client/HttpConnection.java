package dev.faultline.workloads.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection on a plain blocking socket, used by one thread at a time: a
 * request is written, then its response read whole (Content-Length, chunked, or to the end). It is
 * opened on first use and again after any failure. Deliberately small: the test clients and the
 * benchmark's load workers use it so that they spend as little CPU as possible on the servers'
 * behalf, and the same for every server they drive.
 */
public final class HttpConnection implements AutoCloseable {

  /** A response: status, the {@code Location} header (or null) and the body. */
  public record Response(int status, String location, byte[] body) {}

  /** The connection could not be opened (refused, timed out, no route): nothing was sent. */
  public static final class NotConnected extends IOException {
    NotConnected(IOException cause) {
      super(cause.toString(), cause);
    }
  }

  private final String host;
  private final int port;
  private final Duration timeout;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  /**
   * @param timeout bounds connecting and each wait for the server in {@link #exchange(String,
   *     String, String, byte[])}
   */
  public HttpConnection(String host, int port, Duration timeout) {
    this.host = host;
    this.port = port;
    this.timeout = timeout;
  }

  /** A connection to {@code base}'s host and port (80 when it names none). */
  public HttpConnection(URI base, Duration timeout) {
    this(base.getHost(), base.getPort() < 0 ? 80 : base.getPort(), timeout);
  }

  /** {@link #exchange(String, String, String, byte[], String, Duration)} with no extra headers. */
  public Response exchange(String method, String path, String contentType, byte[] body)
      throws IOException {
    return exchange(method, path, contentType, body, null, timeout);
  }

  /**
   * Sends one request and reads its response. A failure to connect is {@link NotConnected}; any
   * other {@link IOException} (including {@link java.net.SocketTimeoutException}) came after the
   * request may have been sent, and closes the connection.
   *
   * @param contentType sent with a body, when not null
   * @param body the request body, or null for none ({@code Content-Length: 0} unless a GET)
   * @param headerLines further header lines, each ending in CRLF, or null
   * @param timeout bounds connecting and each wait for the server
   */
  public Response exchange(
      String method,
      String path,
      String contentType,
      byte[] body,
      String headerLines,
      Duration timeout)
      throws IOException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    if (socket == null) {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), millis);
      } catch (IOException e) {
        s.close();
        throw new NotConnected(e);
      }
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
      out = new BufferedOutputStream(s.getOutputStream(), 16 * 1024);
    }
    try {
      socket.setSoTimeout(millis);
      StringBuilder head = new StringBuilder(192);
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
      head.append(host).append(':').append(port).append("\r\n");
      if (body != null) {
        if (contentType != null) {
          head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
      } else if (!method.equals("GET")) {
        head.append("Content-Length: 0\r\n");
      }
      if (headerLines != null) {
        head.append(headerLines);
      }
      head.append("\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.") || status.length() < 12) {
      throw new IOException("not an HTTP response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = status.startsWith("HTTP/1.0");
    String location = null;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> closeAfter = value.equalsIgnoreCase("close");
        case "location" -> location = value;
        default -> {}
      }
    }
    byte[] body;
    if (code == 204 || code == 304 || code < 200) {
      // No body, whatever the headers say (RFC 9112, section 6.3).
      body = new byte[0];
    } else if (chunked) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      while (true) {
        String size = line();
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
          while (!line().isEmpty()) {
            // Trailers, unused.
          }
          break;
        }
        buf.write(in.readNBytes(n));
        line();
      }
      body = buf.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new IOException("connection closed in the middle of a response body");
      }
    } else {
      body = in.readAllBytes();
      closeAfter = true;
    }
    if (closeAfter) {
      close();
    }
    return new Response(code, location, body);
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed by " + host + ":" + port);
      }
      if (b == '\n') {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
      }
      sb.append((char) b);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a broken connection; nothing to recover.
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
