package dev.faultline.testbed.run.system.etcd;

import dev.faultline.workloads.client.Completion;
import dev.faultline.workloads.client.KvPort;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.grpc.Status;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link KvPort} over jetcd, bound to one member. jetcd's own retries are off (a retried
 * transaction that had committed would answer "not swapped" and be recorded as a definite failure),
 * so each op is one request. What the answer means:
 *
 * <ul>
 *   <li>a reply: {@code ok}, or for a transaction whose comparison failed {@code fail} with {@link
 *       #CAS_MISMATCH};
 *   <li>no connection could be made ({@link ConnectException} under the gRPC status): the request
 *       was never sent, {@code fail};
 *   <li>a status that etcd returns only for a request it rejected before proposing it (invalid
 *       argument, permission, too many requests): {@code fail};
 *   <li>anything else (our timeout, a lost connection, etcd's own "request timed out" or "leader
 *       changed"): the request may have been committed, {@code info}.
 * </ul>
 */
final class EtcdPort implements KvPort {
  /** gRPC codes with which etcd refuses a request before it is proposed to Raft. */
  private static final Set<Status.Code> DEFINITE =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.PERMISSION_DENIED,
          Status.Code.UNAUTHENTICATED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.OUT_OF_RANGE);

  private final KV kv;
  private final String node;
  private final Duration timeout;
  private final GetOption read;

  EtcdPort(Client client, String node, Duration timeout, boolean serializable) {
    this.kv = client.getKVClient();
    this.node = node;
    this.timeout = timeout;
    this.read = GetOption.builder().withSerializable(serializable).build();
  }

  /** A client of one member, without retries. */
  static Client client(String url) {
    return Client.builder()
        .endpoints(url)
        .retryMaxAttempts(0)
        .connectTimeout(Duration.ofSeconds(1))
        .build();
  }

  @Override
  public Completion get(String key) {
    return call(
        kv.get(bytes(key), read),
        (GetResponse r) ->
            Completion.ok(r.getKvs().isEmpty() ? null : text(r.getKvs().get(0).getValue()), node));
  }

  @Override
  public Completion put(String key, String value) {
    return call(
        kv.put(bytes(key), bytes(value), PutOption.DEFAULT), r -> Completion.ok(null, node));
  }

  @Override
  public Completion delete(String key) {
    return call(kv.delete(bytes(key)), r -> Completion.ok(null, node));
  }

  /**
   * One transaction: if the value equals {@code expected} (or, for null, the key does not exist:
   * version 0) then put {@code value}.
   */
  @Override
  public Completion cas(String key, String expected, String value) {
    ByteSequence k = bytes(key);
    Cmp compare =
        expected == null
            ? new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(0))
            : new Cmp(k, Cmp.Op.EQUAL, CmpTarget.value(bytes(expected)));
    CompletableFuture<TxnResponse> txn =
        kv.txn().If(compare).Then(Op.put(k, bytes(value), PutOption.DEFAULT)).commit();
    return call(
        txn,
        (TxnResponse r) ->
            r.isSucceeded() ? Completion.ok(null, node) : Completion.fail(CAS_MISMATCH, node));
  }

  private interface Answer<T> {
    Completion of(T response);
  }

  private <T> Completion call(CompletableFuture<T> future, Answer<T> answer) {
    try {
      return answer.of(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      future.cancel(true);
      return Completion.info("timeout", node);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return Completion.info("interrupted", node);
    } catch (ExecutionException e) {
      return classify(e.getCause());
    }
  }

  private Completion classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return Completion.fail("connection-refused", node);
      }
    }
    Status status = Status.fromThrowable(error);
    String reason = reason(status, error);
    return DEFINITE.contains(status.getCode())
        ? Completion.fail(reason, node)
        : Completion.info(reason, node);
  }

  /** E.g. {@code unavailable: etcdserver: request timed out}, capped. */
  static String reason(Status status, Throwable error) {
    String description = status.getDescription();
    if (description == null) {
      description =
          error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
    String line = status.getCode().name().toLowerCase(java.util.Locale.ROOT) + ": " + description;
    line = line.replace('\n', ' ');
    return line.length() <= 160 ? line : line.substring(0, 157) + "...";
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  private static String text(ByteSequence b) {
    return b.toString(StandardCharsets.UTF_8);
  }
}
