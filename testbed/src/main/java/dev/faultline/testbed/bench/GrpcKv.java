package dev.faultline.testbed.bench;

import com.google.protobuf.ByteString;
import dev.faultline.api.grpc.FaultlineMetadata;
import dev.faultline.api.grpc.kv.KvGrpc;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the load generator speaks gRPC to one kind of server: Faultline's {@code faultline.kv.v1.Kv}
 * service (the node's own generated stubs), or etcd's native {@code etcdserverpb.KV} service
 * (jetcd's generated stubs). Both are driven through the same channel type and the same call path,
 * so the only difference on the client side is the message each one needs.
 */
sealed interface GrpcKv permits GrpcKv.Faultline, GrpcKv.Etcd {

  String name();

  /** The {@code host:port} of the leader among {@code targets}, found by asking them. */
  String leader(List<String> targets, Duration timeout) throws IOException;

  /** The leader a failed call's answer names ({@code host:port}), or null when it names none. */
  default String leaderNamedBy(Throwable failure) {
    return null;
  }

  /** The method that carries {@code op}. */
  MethodDescriptor<Object, Object> method(KvLoad.Op op);

  /** The request of {@code op} on {@code key}; built once per key, before the load starts. */
  Object request(KvLoad.Op op, ByteString key, ByteString value);

  /** A plaintext channel to {@code target} with the settings every channel of the load shares. */
  static ManagedChannel channel(String target) {
    // directExecutor: a completion is recorded and the next call issued on the network thread, with
    // no hand-off to another thread; the same for both servers. disableRetry: the load follows the
    // leader and reissues a failed call itself, so grpc-java's retry layer (which buffers every
    // call in case it must be replayed, about 5% of this client's CPU) would only add work.
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .directExecutor()
        .disableRetry()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  static void close(ManagedChannel c) {
    c.shutdownNow();
    try {
      c.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("unchecked")
  private static MethodDescriptor<Object, Object> erase(MethodDescriptor<?, ?> m) {
    return (MethodDescriptor<Object, Object>) m;
  }

  private static String why(Exception e) {
    return e == null ? "" : " (last error: " + e.getMessage() + ")";
  }

  /**
   * Faultline's gRPC API: a GET is linearizable (ReadIndex); a follower answers with the leader's
   * gRPC address in trailing metadata, which is how the leader is found.
   */
  record Faultline() implements GrpcKv {
    private static final MethodDescriptor<Object, Object> PUT = erase(KvGrpc.getPutMethod());
    private static final MethodDescriptor<Object, Object> GET = erase(KvGrpc.getGetMethod());
    private static final MethodDescriptor<Object, Object> DELETE = erase(KvGrpc.getDeleteMethod());

    @Override
    public String name() {
      return "faultline";
    }

    @Override
    public String leaderNamedBy(Throwable failure) {
      Metadata trailers = Status.trailersFromThrowable(failure);
      String leader = trailers == null ? null : trailers.get(FaultlineMetadata.LEADER);
      return leader == null || leader.isEmpty() ? null : leader;
    }

    @Override
    public String leader(List<String> targets, Duration timeout) throws IOException {
      Exception last = null;
      for (String t : targets) {
        ManagedChannel c = channel(t);
        try {
          KvGrpc.newBlockingStub(c)
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(
                  dev.faultline.api.grpc.kv.GetRequest.newBuilder()
                      .setKey(ByteString.copyFromUtf8("bench-leader-probe"))
                      .build());
          return t;
        } catch (StatusRuntimeException e) {
          Metadata trailers = e.getTrailers();
          String leader = trailers == null ? null : trailers.get(FaultlineMetadata.LEADER);
          if (leader != null && !leader.isEmpty()) {
            return leader;
          }
          last = e;
        } finally {
          close(c);
        }
      }
      throw new IOException(
          "no Faultline node among "
              + targets
              + " answers over gRPC or knows a leader"
              + why(last));
    }

    @Override
    public MethodDescriptor<Object, Object> method(KvLoad.Op op) {
      return switch (op) {
        case PUT -> PUT;
        case GET -> GET;
        case DELETE -> DELETE;
      };
    }

    @Override
    public Object request(KvLoad.Op op, ByteString key, ByteString value) {
      return switch (op) {
        case PUT ->
            dev.faultline.api.grpc.kv.PutRequest.newBuilder().setKey(key).setValue(value).build();
        case GET -> dev.faultline.api.grpc.kv.GetRequest.newBuilder().setKey(key).build();
        case DELETE -> dev.faultline.api.grpc.kv.DeleteRequest.newBuilder().setKey(key).build();
      };
    }
  }

  /**
   * etcd's native v3 API: {@code Put}, {@code Range} (linearizable: {@code serializable} is left
   * false) and {@code DeleteRange}; the leader is the member whose {@code Maintenance.Status} names
   * itself.
   */
  record Etcd() implements GrpcKv {
    private static final MethodDescriptor<Object, Object> PUT = erase(KVGrpc.getPutMethod());
    private static final MethodDescriptor<Object, Object> RANGE = erase(KVGrpc.getRangeMethod());
    private static final MethodDescriptor<Object, Object> DELETE_RANGE =
        erase(KVGrpc.getDeleteRangeMethod());

    @Override
    public String name() {
      return "etcd";
    }

    @Override
    public String leader(List<String> targets, Duration timeout) throws IOException {
      Exception last = null;
      for (String t : targets) {
        ManagedChannel c = channel(t);
        try {
          StatusResponse s =
              MaintenanceGrpc.newBlockingStub(c)
                  .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                  .status(StatusRequest.getDefaultInstance());
          if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
            return t;
          }
        } catch (StatusRuntimeException e) {
          last = e;
        } finally {
          close(c);
        }
      }
      throw new IOException("no etcd member among " + targets + " is the leader" + why(last));
    }

    @Override
    public MethodDescriptor<Object, Object> method(KvLoad.Op op) {
      return switch (op) {
        case PUT -> PUT;
        case GET -> RANGE;
        case DELETE -> DELETE_RANGE;
      };
    }

    @Override
    public Object request(KvLoad.Op op, ByteString key, ByteString value) {
      return switch (op) {
        case PUT -> io.etcd.jetcd.api.PutRequest.newBuilder().setKey(key).setValue(value).build();
        case GET -> io.etcd.jetcd.api.RangeRequest.newBuilder().setKey(key).build();
        case DELETE -> io.etcd.jetcd.api.DeleteRangeRequest.newBuilder().setKey(key).build();
      };
    }
  }
}
