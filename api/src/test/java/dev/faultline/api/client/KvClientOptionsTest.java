package dev.faultline.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvClientOptionsTest {

  @Test
  void eachWithChangesOnlyItsPart() {
    KvClientOptions base = KvClientOptions.of(List.of("127.0.0.1:8080")).withToken("secret");
    KvClientOptions changed = base.withCallTimeout(Duration.ofMillis(300)).withMaxAttempts(3);
    assertThat(changed.retry())
        .isEqualTo(
            new KvClientOptions.Retry(
                Duration.ofMillis(300), Duration.ofSeconds(10), 3, Duration.ofMillis(100)));
    assertThat(changed.access()).isEqualTo(base.access());
    assertThat(changed.sessions()).isTrue();
    assertThat(changed.withSessions(false).retry()).isEqualTo(changed.retry());
    assertThat(changed.withTls(null).token()).isEqualTo("secret");
  }

  @Test
  void theTokenNeverShowsInText() {
    KvClientOptions o = KvClientOptions.of(List.of("n1:8080")).withToken("s3cr3t-value");
    assertThat(o.toString()).doesNotContain("s3cr3t-value").contains("token=(set)");
  }

  @Test
  void badOptionsAreRefused() {
    assertThatThrownBy(() -> KvClientOptions.of(List.of()))
        .hasMessageContaining("at least one endpoint");
    assertThatThrownBy(() -> KvClientOptions.of(List.of("n1:1")).withMaxAttempts(0))
        .hasMessageContaining("maxAttempts must be >= 1");
  }
}
