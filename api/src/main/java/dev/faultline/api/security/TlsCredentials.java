package dev.faultline.api.security;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS key and trust managers of a node or client, built from {@link TlsMaterial}. The managers
 * handed out delegate to the current material on every handshake, so {@link #reloadIfChanged} (or
 * {@link #watch}) swaps certificates, keys and CAs under running servers and channels without a
 * restart; connections already open keep the material they started with. A reload that fails (a
 * half-written file, a key that does not match) keeps the old material and logs why.
 */
public final class TlsCredentials implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TlsCredentials.class);
  private static final String ALIAS = "faultline";

  private record Loaded(
      TlsMaterial material,
      X509ExtendedKeyManager keys,
      X509ExtendedTrustManager trust,
      List<String> stamp) {}

  private final TlsFiles files;
  private volatile Loaded current;
  private ScheduledExecutorService watcher;

  private TlsCredentials(TlsFiles files, TlsMaterial material) {
    this.files = files;
    this.current = build(material, files == null ? List.of() : stamp(files));
  }

  /** Loads the three PEM files; {@link #reloadIfChanged} reads them again when they change. */
  public static TlsCredentials load(TlsFiles files) {
    return new TlsCredentials(files, TlsMaterial.load(files));
  }

  /** Fixed material (never reloaded). */
  public static TlsCredentials of(TlsMaterial material) {
    return new TlsCredentials(null, material);
  }

  /** A client that trusts the CA certificates in {@code caPem} and shows no certificate. */
  public static TlsCredentials trusting(Path caPem) {
    return of(TlsMaterial.trusting(caPem));
  }

  /** The material in use now. */
  public TlsMaterial material() {
    return current.material();
  }

  /** A key manager that always presents the current certificate; null when there is none. */
  public X509ExtendedKeyManager keyManager() {
    return current.material().hasIdentity() ? new SwappingKeys() : null;
  }

  /** A trust manager that verifies against the current CA certificates. */
  public X509ExtendedTrustManager trustManager() {
    return new SwappingTrust();
  }

  /** A TLS context over {@link #keyManager} and {@link #trustManager}. */
  public SSLContext sslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      X509ExtendedKeyManager km = keyManager();
      ctx.init(
          km == null ? null : new javax.net.ssl.KeyManager[] {km},
          new javax.net.ssl.TrustManager[] {trustManager()},
          new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the files again when their size or modification time changed; true when new material is
   * now in use.
   */
  public synchronized boolean reloadIfChanged() {
    if (files == null) {
      return false;
    }
    List<String> stamp = stamp(files);
    if (stamp.equals(current.stamp())) {
      return false;
    }
    try {
      current = build(TlsMaterial.load(files), stamp);
      LOG.info(
          "TLS material reloaded from {}: certificate {} valid until {}",
          files.cert(),
          current.material().chain().get(0).getSubjectX500Principal().getName(),
          current.material().chain().get(0).getNotAfter().toInstant());
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "TLS material of {} changed but cannot be used, keeping the old: {}",
          files.cert(),
          e.getMessage());
      return false;
    }
  }

  /** Checks the files every {@code interval} on a daemon thread until {@link #close}. */
  public synchronized void watch(Duration interval) {
    if (files == null || watcher != null || interval.isZero()) {
      return;
    }
    watcher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "faultline-tls-reload");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    watcher.scheduleWithFixedDelay(this::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
    }
  }

  private static List<String> stamp(TlsFiles files) {
    List<String> out = new ArrayList<>();
    for (Path p : List.of(files.cert(), files.key(), files.ca())) {
      try {
        out.add(p + "@" + Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p));
      } catch (IOException e) {
        out.add(p + "@missing");
      }
    }
    return out;
  }

  private static Loaded build(TlsMaterial m, List<String> stamp) {
    try {
      char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      X509ExtendedKeyManager keys = null;
      if (m.hasIdentity()) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, m.key(), password, m.chain().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
      }
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      for (int i = 0; i < m.trusted().size(); i++) {
        ts.setCertificateEntry("ca-" + i, m.trusted().get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(ts);
      X509ExtendedTrustManager trust = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
      return new Loaded(m, keys, trust, stamp);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot build TLS key and trust managers: " + e.getMessage(), e);
    }
  }

  /** Delegates to the key manager of whatever material is current. */
  private final class SwappingKeys extends X509ExtendedKeyManager {
    private X509ExtendedKeyManager keys() {
      X509ExtendedKeyManager k = current.keys();
      if (k == null) {
        throw new IllegalStateException("the TLS material has no certificate any more");
      }
      return k;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return keys().getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return keys().chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
      return keys().chooseEngineClientAlias(keyType, issuers, engine);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return keys().getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return keys().chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return keys().chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return keys().getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return keys().getPrivateKey(alias);
    }
  }

  /** Delegates to the trust manager of whatever material is current. */
  private final class SwappingTrust extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      current.trust().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      current.trust().checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      current.trust().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      current.trust().checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      current.trust().checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      current.trust().checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return current.trust().getAcceptedIssuers();
    }
  }
}
