package dev.faultline.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faultline.api.config.ConfigException;
import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options, token files, the exposure rules and reloading of TLS material. */
class SecurityConfigTest {

  @TempDir Path dir;

  static NodeConfig load(String... args) {
    return ConfigSources.load(List.of(args), Map.of());
  }

  @Test
  void nonLoopbackPlaintextIsRefusedUnlessInsecureIsGiven() {
    NodeConfig exposed = load("--id", "n1", "--http", "0.0.0.0:8080");
    assertThatThrownBy(() -> ExposurePolicy.check(exposed))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http-address 0.0.0.0:8080")
        .hasMessageContaining("--insecure");
    NodeConfig acknowledged = load("--id", "n1", "--http", "0.0.0.0:8080", "--insecure");
    assertThat(acknowledged.insecure()).isTrue();
    assertThat(ExposurePolicy.check(acknowledged)).singleElement().asString().contains("PLAINTEXT");
    assertThat(ExposurePolicy.check(load("--id", "n1"))).isEmpty();
    assertThat(
            ConfigSources.load(List.of("--id", "n1", "--insecure", "false"), Map.of()).insecure())
        .isFalse();
    assertThat(
            ConfigSources.load(List.of("--id", "n1"), Map.of("FAULTLINE_INSECURE", "true"))
                .insecure())
        .isTrue();
  }

  @Test
  void bugsOnANonLoopbackAddressNeedAllowBugs() {
    assertThat(ExposurePolicy.check(load("--id", "n1", "--bug", "stale-read"))).isEmpty();
    NodeConfig exposed =
        load("--id", "n1", "--peer", "10.77.0.2:7070", "--insecure", "--bug", "stale-read");
    assertThatThrownBy(() -> ExposurePolicy.check(exposed))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--allow-bugs");
    NodeConfig allowed =
        load(
            "--id",
            "n1",
            "--peer",
            "10.77.0.2:7070",
            "--insecure",
            "--allow-bugs",
            "--bug",
            "stale-read");
    assertThat(ExposurePolicy.check(allowed)).hasSize(2);
  }

  @Test
  void tlsOptionsComeTogether() {
    assertThatThrownBy(() -> load("--id", "n1", "--tls-cert", "n1.pem"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tls-key is missing");
    assertThatThrownBy(() -> load("--id", "n1", "--tls-client-auth", "require"))
        .hasMessageContaining("TLS is off");
    assertThatThrownBy(() -> load("--id", "n1", "--auth-open-endpoints", "healthz,admin"))
        .hasMessageContaining("auth-open-endpoints");
  }

  @Test
  void tokenFilesAreCheckedLineByLine() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# ops\n" + "r".repeat(20) + " read\n" + "w".repeat(20) + " root\n");
    assertThatThrownBy(() -> Tokens.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file + ":3")
        .hasMessageContaining("unknown role 'root'");
    Files.writeString(file, "short read\n");
    assertThatThrownBy(() -> Tokens.load(file)).hasMessageContaining(file + ":1");
    Files.writeString(file, "r".repeat(20) + " read\n" + "w".repeat(20) + " write\n");
    Tokens tokens = Tokens.load(file);
    assertThat(tokens.roleOf("w".repeat(20))).contains(Role.WRITE);
    assertThat(tokens.roleOf("r".repeat(20))).contains(Role.READ);
    assertThat(tokens.roleOf("x".repeat(20))).isEmpty();
  }

  @Test
  void authenticatorTellsMissingInvalidAndForbiddenApart() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Authenticator auth =
        new Authenticator(Tokens.of(Map.of("reader-token-0123456789", Role.READ)), registry);
    assertThat(auth.check(null, null, "x")).isInstanceOf(Authenticator.Verdict.Allowed.class);
    assertThat(auth.check(null, Role.READ, "x"))
        .isEqualTo(
            new Authenticator.Verdict.Denied(
                Authenticator.Reason.MISSING,
                "x needs a bearer token: send 'Authorization: Bearer TOKEN' (see"
                    + " docs/SECURITY.md)"));
    assertThat(auth.check("Basic abc", Role.READ, "x"))
        .extracting(v -> ((Authenticator.Verdict.Denied) v).reason())
        .isEqualTo(Authenticator.Reason.MISSING);
    assertThat(auth.check("Bearer nope-nope-nope-nope", Role.READ, "x"))
        .extracting(v -> ((Authenticator.Verdict.Denied) v).reason())
        .isEqualTo(Authenticator.Reason.INVALID);
    assertThat(auth.check("bearer reader-token-0123456789", Role.WRITE, "x"))
        .extracting(v -> ((Authenticator.Verdict.Denied) v).reason())
        .isEqualTo(Authenticator.Reason.FORBIDDEN);
    assertThat(auth.check("Bearer reader-token-0123456789", Role.READ, "x"))
        .isEqualTo(new Authenticator.Verdict.Allowed(Role.READ));
    assertThat(registry.get("auth.failures").tag("reason", "missing").counter().count())
        .isEqualTo(2);
  }

  @Test
  void changedFilesAreReloadedAndBrokenOnesKeepTheOldMaterial() throws Exception {
    ClusterPki pki =
        ClusterPki.generate(dir, List.of("n1"), List.of("127.0.0.1"), Duration.ofDays(1));
    ClusterPki renewed =
        ClusterPki.generate(
            dir.resolve("renewed"), List.of("n1"), List.of("127.0.0.1"), Duration.ofDays(2));
    TlsFiles files = pki.node("n1");
    try (TlsCredentials tls = TlsCredentials.load(files)) {
      X509Certificate before = tls.material().chain().get(0);
      assertThat(tls.reloadIfChanged()).isFalse();

      // A new certificate next to the old key: refused, the old material stays in use.
      copy(renewed.node("n1").cert(), files.cert(), 5_000);
      assertThat(tls.reloadIfChanged()).isFalse();
      assertThat(tls.material().chain().get(0)).isEqualTo(before);

      copy(renewed.node("n1").key(), files.key(), 10_000);
      copy(renewed.caFile(), files.ca(), 10_000);
      assertThat(tls.reloadIfChanged()).isTrue();
      assertThat(tls.material().chain().get(0))
          .isEqualTo(Pem.certificates(renewed.node("n1").cert(), "test").get(0));
    }
  }

  static void copy(Path from, Path to, long aheadMillis) throws Exception {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(to, FileTime.fromMillis(System.currentTimeMillis() + aheadMillis));
  }
}
