package dev.faultline.api.security;

import dev.faultline.api.config.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Reads and writes PEM files: certificates ({@code CERTIFICATE} blocks, in file order) and
 * unencrypted private keys (PKCS#8 {@code PRIVATE KEY}, or PKCS#1 / SEC1 {@code RSA|EC PRIVATE
 * KEY}). Errors name the file and the option it came from.
 */
public final class Pem {

  private Pem() {}

  /** Every certificate in {@code file}; at least one. */
  public static List<X509Certificate> certificates(Path file, String option) {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          out.add(converter.getCertificate(h));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new ConfigException(
          "cannot read certificates from " + file + " (option " + option + "): " + e.getMessage(),
          e);
    }
    if (out.isEmpty()) {
      throw new ConfigException(
          file + " (option " + option + ") holds no PEM CERTIFICATE block: give a PEM certificate");
    }
    return out;
  }

  /** The one private key in {@code file}. */
  public static PrivateKey privateKey(Path file, String option) {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser p = new PEMParser(r)) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          "cannot read the private key " + file + " (option " + option + "): " + e.getMessage(), e);
    }
    throw new ConfigException(
        file
            + " (option "
            + option
            + ") holds no unencrypted PRIVATE KEY block: give the key as PKCS#8 PEM");
  }

  /** Writes certificates as PEM, atomically. */
  public static void write(Path file, List<X509Certificate> certificates) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      for (X509Certificate c : certificates) {
        w.writeObject(c);
      }
    }
    replace(file, text.toString(), false);
  }

  /** Writes a private key as PKCS#8 PEM, atomically, readable by its owner only. */
  public static void write(Path file, PrivateKey key) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(text)) {
      w.writeObject(new JcaPKCS8Generator(key, null));
    }
    replace(file, text.toString(), true);
  }

  /** Writes {@code text} to a temporary file next to {@code file} and renames it into place. */
  static void replace(Path file, String text, boolean secret) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system; the directory's own permissions protect the key.
        }
      }
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
