package dev.faultline.api.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.FakeBackend;
import dev.faultline.api.client.KvClient;
import dev.faultline.api.client.KvClientOptions;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import dev.faultline.api.grpc.GrpcTransport;
import dev.faultline.api.metrics.NodeMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientEdgesTest {

  @Test
  void startsBothProtocolsOnTheConfiguredAddresses() {
    NodeConfig config =
        ConfigSources.fromOptions(
            Map.of(
                "id", "n1",
                "http-address", "127.0.0.1:0",
                "grpc-address", "127.0.0.1:0",
                "peer-address", "127.0.0.1:0",
                "peers", "n1=127.0.0.1:1,n2=127.0.0.1:2"));
    try (NodeMetrics metrics = new NodeMetrics();
        ClientEdges edges = ClientEdges.start(config, new FakeBackend("n1"), metrics);
        GrpcTransport transport = ClientEdges.transport(config);
        KvClient http =
            KvClient.http(KvClientOptions.of(List.of("127.0.0.1:" + edges.httpPort())));
        KvClient grpc =
            KvClient.grpc(KvClientOptions.of(List.of("127.0.0.1:" + edges.grpcPort())))) {
      http.put("k", "v");
      assertThat(grpc.get("k")).contains("v");
      assertThat(transport.port()).isPositive();
    }
  }
}
