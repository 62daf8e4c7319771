package dev.faultline.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.grpc.kv.KvGrpc;
import dev.faultline.api.grpc.kv.PutRequest;
import dev.faultline.api.grpc.kv.PutResponse;
import io.grpc.Context;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A measured gRPC call carries no deadline, yet one the server never answers is cancelled after the
 * call timeout, counted as an error of its own kind, and reissued.
 */
class GrpcDriverTimeoutTest {

  /** Takes every PUT and never answers it; notes whether a call arrived with a deadline. */
  private static final class Silent extends KvGrpc.KvImplBase {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger withDeadline = new AtomicInteger();
    final CountDownLatch cancelled = new CountDownLatch(2);

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> answer) {
      calls.incrementAndGet();
      if (Context.current().getDeadline() != null) {
        withDeadline.incrementAndGet();
      }
      Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
    }
  }

  @Test
  void aCallNeverAnsweredIsCancelledAfterTheTimeoutAndReissued() throws Exception {
    Silent silent = new Silent();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(silent)
            .build()
            .start();
    String target = "127.0.0.1:" + server.getPort();
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    AtomicInteger oks = new AtomicInteger();
    KvLoad.Sink sink =
        new KvLoad.Sink() {
          @Override
          public void ok(KvLoad.Op op, long nanos) {
            oks.incrementAndGet();
          }

          @Override
          public void error(KvLoad.Op op, String kind) {
            errors.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
          }
        };
    try (GrpcDriver driver =
        new GrpcDriver(
            new GrpcKv.Faultline(),
            new LeaderWatch<>(target, () -> target),
            1,
            Duration.ofMillis(300),
            List.of("k0", "k1"),
            new byte[] {1, 2, 3})) {
      long began = System.nanoTime();
      driver.start(2, KvLoad.Mix.PUT, 2, 7, sink);
      assertThat(silent.cancelled.await(10, TimeUnit.SECONDS))
          .as("the server saw both calls cancelled")
          .isTrue();
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
      assertThat(waited)
          .as("cancelled only once older than the timeout")
          .isGreaterThanOrEqualTo(300);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (silent.calls.get() < 4 && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      driver.stop(Duration.ofSeconds(2));
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertThat(silent.calls.get()).as("each slot reissued its call").isGreaterThanOrEqualTo(4);
    assertThat(silent.withDeadline.get()).as("calls that carried a deadline").isZero();
    assertThat(oks.get()).isZero();
    assertThat(errors).containsOnlyKeys("gRPC no answer within 300 ms");
  }
}
