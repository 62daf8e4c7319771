package dev.faultline.testbed.run.system.zookeeper;

import dev.faultline.workloads.client.Completion;
import dev.faultline.workloads.client.KvPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A {@link KvPort} over one ZooKeeper session. Key {@code k} is the znode {@code /faultline-k}; a
 * delete writes a tombstone (null data) instead of removing the znode, so a znode's version only
 * grows and a versioned {@code setData} can never match a later incarnation of the key (after a
 * delete and a create, the version would start at 0 again and a compare-and-set could swap a value
 * it never compared).
 *
 * <p>Outcomes: a reply is {@code ok}; {@code BADVERSION}, {@code NONODE} and {@code NODEEXISTS} are
 * definite ({@code fail}, {@link #CAS_MISMATCH} for a compare-and-set); a lost connection, an
 * expired session or our own timeout leave a write's outcome unknown ({@code info}).
 */
final class ZooKeeperPort implements KvPort {
  private final ZooKeeper zk;
  private final String node;
  private final Duration timeout;
  private final boolean sync;

  private ZooKeeperPort(ZooKeeper zk, String node, Duration timeout, boolean sync) {
    this.zk = zk;
    this.node = node;
    this.timeout = timeout;
    this.sync = sync;
  }

  /** A session with the one server at {@code hostPort}. */
  static ZooKeeperPort open(String hostPort, String node, Duration timeout, boolean sync) {
    try {
      return new ZooKeeperPort(new ZooKeeper(hostPort, 4000, event -> {}), node, timeout, sync);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a ZooKeeper session with " + hostPort, e);
    }
  }

  /** One reply: the result code, the data and stat of a read. */
  private record Reply(Code code, byte[] data, Stat stat) {}

  /** The reply within the op's deadline, or null when there is none in time. */
  private Reply await(long deadline, Consumer<CompletableFuture<Reply>> request)
      throws InterruptedException {
    var future = new CompletableFuture<Reply>();
    request.accept(future);
    try {
      return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private Reply getData(long deadline, String path) throws InterruptedException {
    return await(
        deadline,
        f ->
            zk.getData(
                path,
                false,
                (rc, p, ctx, data, stat) -> f.complete(new Reply(Code.get(rc), data, stat)),
                null));
  }

  private Reply setData(long deadline, String path, byte[] data, int version)
      throws InterruptedException {
    return await(
        deadline,
        f ->
            zk.setData(
                path,
                data,
                version,
                (rc, p, ctx, stat) -> f.complete(new Reply(Code.get(rc), null, stat)),
                null));
  }

  private Reply create(long deadline, String path, byte[] data) throws InterruptedException {
    return await(
        deadline,
        f ->
            zk.create(
                path,
                data,
                ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.PERSISTENT,
                (rc, p, ctx, name) -> f.complete(new Reply(Code.get(rc), null, null)),
                null));
  }

  private Reply sync(long deadline, String path) throws InterruptedException {
    return await(
        deadline,
        f -> zk.sync(path, (rc, p, ctx) -> f.complete(new Reply(Code.get(rc), null, null)), null));
  }

  private long deadline() {
    return System.nanoTime() + timeout.toNanos();
  }

  @Override
  public Completion get(String key) {
    String path = path(key);
    try {
      long deadline = deadline();
      if (sync) {
        Reply s = sync(deadline, path);
        if (s == null || (s.code() != Code.OK && s.code() != Code.NONODE)) {
          return unknown(s);
        }
      }
      Reply r = getData(deadline, path);
      if (r == null) {
        return unknown(null);
      }
      return switch (r.code()) {
        case OK -> Completion.ok(r.data() == null ? null : text(r.data()), node);
        case NONODE -> Completion.ok(null, node);
        default -> unknown(r);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Completion.info("interrupted", node);
    }
  }

  /**
   * {@code setData} with any version; when the znode does not exist, {@code create}; when another
   * client created it meanwhile, {@code setData} again. Each step that was refused had no effect.
   */
  @Override
  public Completion put(String key, String value) {
    return write(key, bytes(value));
  }

  /** Writes the tombstone; a key that never existed needs nothing. */
  @Override
  public Completion delete(String key) {
    String path = path(key);
    try {
      Reply r = setData(deadline(), path, null, -1);
      if (r == null) {
        return unknown(null);
      }
      return switch (r.code()) {
        case OK, NONODE -> Completion.ok(null, node);
        default -> unknown(r);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Completion.info("interrupted", node);
    }
  }

  private Completion write(String key, byte[] data) {
    String path = path(key);
    try {
      long deadline = deadline();
      for (int attempt = 0; attempt < 3; attempt++) {
        Reply set = setData(deadline, path, data, -1);
        if (set == null) {
          return unknown(null);
        }
        if (set.code() == Code.OK) {
          return Completion.ok(null, node);
        }
        if (set.code() != Code.NONODE) {
          return unknown(set);
        }
        Reply created = create(deadline, path, data);
        if (created == null) {
          return unknown(null);
        }
        if (created.code() == Code.OK) {
          return Completion.ok(null, node);
        }
        if (created.code() != Code.NODEEXISTS) {
          return unknown(created);
        }
      }
      return Completion.fail("write-contention", node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Completion.info("interrupted", node);
    }
  }

  /**
   * Reads the znode and its version, compares the value here, and writes with that version, so
   * ZooKeeper swaps only if nothing was written in between ({@code BADVERSION} otherwise). For an
   * absent expected value: {@code create}, or a versioned write over a tombstone.
   */
  @Override
  public Completion cas(String key, String expected, String value) {
    String path = path(key);
    try {
      long deadline = deadline();
      Reply current = getData(deadline, path);
      if (current == null) {
        return unknown(null);
      }
      if (current.code() == Code.NONODE) {
        if (expected != null) {
          return Completion.fail(CAS_MISMATCH, node);
        }
        Reply created = create(deadline, path, bytes(value));
        if (created == null) {
          return unknown(null);
        }
        return switch (created.code()) {
          case OK -> Completion.ok(null, node);
          case NODEEXISTS -> Completion.fail(CAS_MISMATCH, node);
          default -> unknown(created);
        };
      }
      if (current.code() != Code.OK) {
        return unknown(current);
      }
      byte[] have = current.data();
      boolean matches =
          expected == null ? have == null : have != null && Arrays.equals(have, bytes(expected));
      if (!matches) {
        return Completion.fail(CAS_MISMATCH, node);
      }
      Reply set = setData(deadline, path, bytes(value), current.stat().getVersion());
      if (set == null) {
        return unknown(null);
      }
      return switch (set.code()) {
        case OK -> Completion.ok(null, node);
        case BADVERSION, NONODE -> Completion.fail(CAS_MISMATCH, node);
        default -> unknown(set);
      };
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Completion.info("interrupted", node);
    }
  }

  /** No reply in time, or a reply that leaves the outcome open (connection loss, ...). */
  private Completion unknown(Reply r) {
    return Completion.info(r == null ? "timeout" : r.code().name().toLowerCase(Locale.ROOT), node);
  }

  static String path(String key) {
    return "/faultline-" + key.replace('/', '_');
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    try {
      zk.close(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
