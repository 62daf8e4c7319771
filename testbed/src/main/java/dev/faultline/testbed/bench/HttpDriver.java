package dev.faultline.testbed.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of the load: a fixed number of slots, each with one request in flight at a time on
 * its own keep-alive HTTP/1.1 connection to the leader, all driven by one thread over a selector. A
 * slot writes its next request as soon as the previous answer is read, so the number in flight is
 * exactly the number of slots, as with {@link GrpcDriver}.
 *
 * <p>One thread rather than one per connection: a blocked thread per request costs a wake-up and a
 * context switch per answer, which on two cores was a fifth of the machine's CPU at 8,000 requests
 * a second, taken from the servers measured. Here a wake-up of the loop serves every answer that
 * has arrived by then. The requests are the same for any server ({@link KvProtocol#request}), and
 * an answer is read whole (Content-Length, chunked, or to the end of the connection) before it
 * counts.
 */
final class HttpDriver implements AutoCloseable {

  private final KvProtocol protocol;
  private final LeaderWatch<URI> leaders;
  private final long timeoutNanos;
  private final List<String> keys;
  private final byte[] value;
  private final Selector selector;
  private final Thread loop;
  private final List<Slot> slots = new ArrayList<>();
  // Slots to issue their next request from the loop thread: after a pause, or when started.
  private final ConcurrentLinkedQueue<Slot> ready = new ConcurrentLinkedQueue<>();
  private final AtomicInteger active = new AtomicInteger();
  // A failed request is followed by a pause here, and by a leader lookup when one is due (a lookup
  // blocks).
  private final ScheduledExecutorService pause = DriverThreads.retries("bench-http-retry");
  private volatile boolean stop;

  HttpDriver(
      KvProtocol protocol,
      LeaderWatch<URI> leaders,
      Duration timeout,
      List<String> keys,
      byte[] value)
      throws IOException {
    this.protocol = protocol;
    this.leaders = leaders;
    this.timeoutNanos = timeout.toNanos();
    this.keys = keys;
    this.value = value;
    this.selector = Selector.open();
    this.loop = new Thread(this::run, "bench-http-loop");
    loop.setDaemon(true);
  }

  /** Starts {@code inFlight} slots; each picks its keys with its own seeded random. */
  void start(int inFlight, KvLoad.Mix mix, int keyCount, long seed, KvLoad.Sink sink) {
    for (int s = 0; s < inFlight; s++) {
      Slot slot = new Slot(mix, keyCount, seed * 1_000_003L + s, sink);
      slots.add(slot);
      active.incrementAndGet();
      ready.add(slot);
    }
    loop.start();
  }

  /**
   * Lets every slot finish its request in flight and issue no more, waiting at most {@code bound}.
   */
  void stop(Duration bound) throws InterruptedException {
    stop = true;
    selector.wakeup();
    DriverThreads.awaitIdle(active, bound);
  }

  @Override
  public void close() throws IOException {
    stop = true;
    pause.shutdownNow();
    selector.close();
    try {
      loop.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Slot s : slots) {
      s.disconnect();
    }
  }

  /** How often the loop looks for requests past their deadline. */
  private static final long CHECK_EVERY_NANOS = 5_000_000L;

  private void run() {
    long checked = System.nanoTime();
    try {
      while (active.get() > 0) {
        for (Slot s; (s = ready.poll()) != null; ) {
          s.issue();
        }
        selector.select(10);
        for (SelectionKey key : selector.selectedKeys()) {
          Slot s = (Slot) key.attachment();
          if (key.isValid()) {
            s.ready(key);
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - checked > CHECK_EVERY_NANOS) {
          checked = now;
          for (Slot s : slots) {
            if (s.busy && now - s.deadline > 0) {
              s.failed("SocketTimeoutException", true);
            }
          }
        }
      }
    } catch (IOException | ClosedSelectorException closed) {
      // close() ended the load.
    }
  }

  /** One request in flight at a time, on its own connection. */
  private final class Slot {
    private final KvLoad.Mix mix;
    private final int keyCount;
    private final SplittableRandom random;
    private final KvLoad.Sink sink;
    private final Response response = new Response();
    private SocketChannel channel;
    private SelectionKey key;
    private URI at;
    private ByteBuffer out;
    private int step;
    private KvLoad.Op op;
    private long started;
    private long deadline;
    private boolean busy;

    Slot(KvLoad.Mix mix, int keyCount, long seed, KvLoad.Sink sink) {
      this.mix = mix;
      this.keyCount = keyCount;
      this.random = new SplittableRandom(seed);
      this.sink = sink;
    }

    /** Writes the next request, connecting first when there is no connection to the leader. */
    void issue() {
      if (stop) {
        disconnect();
        active.decrementAndGet();
        selector.wakeup();
        return;
      }
      op = mix.op(step++);
      URI leader = leaders.current();
      out = encode(protocol.request(op, keys.get(random.nextInt(keyCount)), value), leader);
      response.reset();
      started = System.nanoTime();
      deadline = started + timeoutNanos;
      busy = true;
      try {
        if (channel == null || !leader.equals(at)) {
          disconnect();
          at = leader;
          channel = SocketChannel.open();
          channel.configureBlocking(false);
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          boolean connected =
              channel.connect(
                  new InetSocketAddress(at.getHost(), at.getPort() < 0 ? 80 : at.getPort()));
          key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
          if (!connected) {
            return;
          }
        }
        write();
      } catch (IOException e) {
        failed(e.getClass().getSimpleName(), true);
      }
    }

    void ready(SelectionKey k) {
      if (!busy) {
        // Nothing asked (a pause after a failure): whatever came, the connection is not reused.
        disconnect();
        return;
      }
      try {
        if (k.isConnectable()) {
          channel.finishConnect();
          write();
        } else if (k.isWritable()) {
          write();
        } else if (k.isReadable()) {
          read();
        }
      } catch (IOException e) {
        failed(e.getClass().getSimpleName(), true);
      }
    }

    private void write() throws IOException {
      channel.write(out);
      key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read() throws IOException {
      int n = response.readFrom(channel);
      int status = response.complete(n < 0);
      if (status < 0) {
        if (n < 0) {
          throw new java.io.EOFException("connection closed before a whole answer");
        }
        return;
      }
      busy = false;
      long nanos = System.nanoTime() - started;
      if (response.closes || n < 0) {
        disconnect();
      }
      if (protocol.ok(status)) {
        sink.ok(op, nanos);
        issue();
        return;
      }
      sink.error(op, "HTTP " + status);
      URI named = status == 307 ? KvLoad.base(response.location) : null;
      if (named != null) {
        leaders.named(named);
        issue();
      } else {
        later(status == 503);
      }
    }

    /** The request failed without an answer: counted, and the next one issued after a pause. */
    void failed(String kind, boolean lookup) {
      busy = false;
      disconnect();
      sink.error(op, kind);
      later(lookup);
    }

    private void later(boolean lookup) {
      if (key != null && key.isValid()) {
        key.interestOps(0);
      }
      try {
        pause.schedule(
            () -> {
              if (lookup) {
                leaders.lost();
              }
              ready.add(this);
              selector.wakeup();
            },
            1,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        active.decrementAndGet();
      }
    }

    void disconnect() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // A connection given up on; nothing to recover.
        }
      }
      channel = null;
      key = null;
      at = null;
    }
  }

  /** The bytes of {@code r} as an HTTP/1.1 request to {@code server}. */
  static ByteBuffer encode(KvProtocol.Request r, URI server) {
    StringBuilder head = new StringBuilder(160);
    head.append(r.method()).append(' ').append(r.path()).append(" HTTP/1.1\r\nHost: ");
    head.append(server.getHost()).append(':').append(server.getPort()).append("\r\n");
    if (r.body() != null) {
      if (r.contentType() != null) {
        head.append("Content-Type: ").append(r.contentType()).append("\r\n");
      }
      head.append("Content-Length: ").append(r.body().length).append("\r\n");
    } else if (!r.method().equals("GET")) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(h.length + (r.body() == null ? 0 : r.body().length));
    b.put(h);
    if (r.body() != null) {
      b.put(r.body());
    }
    return b.flip();
  }

  /**
   * One answer being read: the bytes so far, and once its head is whole, how its body ends. Parsed
   * only as far as a load needs: the status, {@code Location}, and where the answer ends.
   */
  static final class Response {
    private ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
    private int headEnd = -1;
    private int status;
    private long length = -1;
    private boolean chunked;
    boolean closes;
    String location;

    void reset() {
      buf.clear();
      headEnd = -1;
      status = 0;
      length = -1;
      chunked = false;
      closes = false;
      location = null;
    }

    /** Reads what the channel has; -1 at the end of the connection. */
    int readFrom(SocketChannel ch) throws IOException {
      if (!buf.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
      return ch.read(buf);
    }

    /** Appends bytes as if read (for tests). */
    void append(byte[] bytes) {
      while (buf.remaining() < bytes.length) {
        ByteBuffer bigger = ByteBuffer.allocate(buf.capacity() * 2);
        buf.flip();
        bigger.put(buf);
        buf = bigger;
      }
      buf.put(bytes);
    }

    /**
     * The status once the whole answer is in, else -1.
     *
     * @param ended the connection ended: an answer without a length ends there
     */
    int complete(boolean ended) throws IOException {
      byte[] a = buf.array();
      int filled = buf.position();
      if (headEnd < 0) {
        int end = indexOf(a, 0, filled, "\r\n\r\n");
        if (end < 0) {
          return -1;
        }
        headEnd = end + 4;
        parseHead(new String(a, 0, end, StandardCharsets.ISO_8859_1));
      }
      if (status == 204 || status == 304 || status < 200) {
        return status;
      }
      if (chunked) {
        return chunkedEnd(a, headEnd, filled) < 0 ? -1 : status;
      }
      if (length >= 0) {
        return filled - headEnd >= length ? status : -1;
      }
      closes = true;
      return ended ? status : -1;
    }

    private void parseHead(String head) throws IOException {
      String[] lines = head.split("\r\n");
      if (!lines[0].startsWith("HTTP/1.") || lines[0].length() < 12) {
        throw new IOException("not an HTTP response: " + lines[0]);
      }
      try {
        status = Integer.parseInt(lines[0].substring(9, 12));
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status line: " + lines[0]);
      }
      closes = lines[0].startsWith("HTTP/1.0");
      for (int i = 1; i < lines.length; i++) {
        String h = lines[i];
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).trim();
        String v = h.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("content-length")) {
          try {
            length = Long.parseLong(v);
          } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length: " + v);
          }
        } else if (name.equalsIgnoreCase("transfer-encoding")) {
          chunked = v.toLowerCase(java.util.Locale.ROOT).contains("chunked");
        } else if (name.equalsIgnoreCase("connection")) {
          closes = v.equalsIgnoreCase("close");
        } else if (name.equalsIgnoreCase("location")) {
          location = v;
        }
      }
    }

    /** Where a chunked body starting at {@code from} ends, or -1 while it is incomplete. */
    static int chunkedEnd(byte[] a, int from, int to) throws IOException {
      int at = from;
      while (true) {
        int eol = indexOf(a, at, to, "\r\n");
        if (eol < 0) {
          return -1;
        }
        String size = new String(a, at, eol - at, StandardCharsets.ISO_8859_1);
        int semi = size.indexOf(';');
        int n;
        try {
          n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size: " + size);
        }
        at = eol + 2;
        if (n == 0) {
          // Trailers, if any, then an empty line.
          while (true) {
            int end = indexOf(a, at, to, "\r\n");
            if (end < 0) {
              return -1;
            }
            if (end == at) {
              return end + 2;
            }
            at = end + 2;
          }
        }
        if (to - at < (long) n + 2) {
          return -1;
        }
        at += n + 2;
      }
    }

    private static int indexOf(byte[] a, int from, int to, String s) {
      outer:
      for (int i = from; i + s.length() <= to; i++) {
        for (int j = 0; j < s.length(); j++) {
          if (a[i + j] != s.charAt(j)) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
