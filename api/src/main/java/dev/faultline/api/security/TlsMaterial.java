package dev.faultline.api.security;

import dev.faultline.api.config.ConfigException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
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
    if (!belongTogether(key, chain.get(0).getPublicKey())) {
      throw new ConfigException(
          "the key in "
              + files.key()
              + " does not belong to the certificate in "
              + files.cert()
              + ": give the key the certificate was issued for");
    }
    return new TlsMaterial(chain, key, trusted);
  }

  /** Trust only: a client that verifies servers against {@code ca} and shows no certificate. */
  public static TlsMaterial trusting(java.nio.file.Path ca) {
    return new TlsMaterial(List.of(), null, Pem.certificates(ca, "CA file"));
  }

  /** Signs a probe with {@code key} and verifies it with {@code pub}. */
  private static boolean belongTogether(PrivateKey key, PublicKey pub) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448 name their own signatures
        };
    try {
      byte[] probe = "faultline key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(probe);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(pub);
      verify.update(probe);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether this material includes an own certificate. */
  public boolean hasIdentity() {
    return !chain.isEmpty();
  }
}
