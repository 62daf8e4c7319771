package dev.faultline.api.security;

import dev.faultline.api.config.ConfigException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One party's TLS material, loaded: its certificate chain (leaf first) and matching private key,
 * and the CA certificates it trusts. The chain may be empty for a client that only verifies
 * servers; {@code trusted} is never empty.
 */
public record TlsMaterial(
    List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trusted) {

  public TlsMaterial {
    chain = List.copyOf(chain);
    trusted = List.copyOf(trusted);
    if (trusted.isEmpty()) {
      throw new IllegalArgumentException("TLS material needs at least one trusted CA certificate");
    }
    if (chain.isEmpty() != (key == null)) {
      throw new IllegalArgumentException("a certificate chain and its key come together");
    }
  }

  /** Loads and cross-checks the three PEM files. */
  public static TlsMaterial load(TlsFiles files) {
    List<X509Certificate> chain = Pem.certificates(files.cert(), "tls-cert");
    PrivateKey key = Pem.privateKey(files.key(), "tls-key");
    List<X509Certificate> trusted = Pem.certificates(files.ca(), "tls-ca");
    PublicKey pub = chain.get(0).getPublicKey();
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) {
      throw new ConfigException(
          "the key in "
              + files.key()
              + " ("
              + key.getAlgorithm()
              + ") does not belong to the certificate in "
              + files.cert()
              + " ("
              + pub.getAlgorithm()
              + "): give the key the certificate was issued for");
    }
    return new TlsMaterial(chain, key, trusted);
  }

  /** Trust only: a client that verifies servers against {@code ca} and shows no certificate. */
  public static TlsMaterial trusting(java.nio.file.Path ca) {
    return new TlsMaterial(List.of(), null, Pem.certificates(ca, "CA file"));
  }

  /** Whether this material includes an own certificate. */
  public boolean hasIdentity() {
    return !chain.isEmpty();
  }
}
