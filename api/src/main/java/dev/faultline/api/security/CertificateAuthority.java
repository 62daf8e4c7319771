package dev.faultline.api.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority (EC P-256, SHA-256) that issues node and client certificates,
 * for local secure clusters and tests. Not for production: its key lives in memory and in the
 * cluster directory, and it issues whatever it is asked.
 */
public final class CertificateAuthority {

  /** A certificate and the private key it was issued for. */
  public record Issued(X509Certificate certificate, PrivateKey key) {}

  /**
   * What to put in a certificate.
   *
   * @param name the subject's common name (a node's certificate: its member id)
   * @param dnsNames subject alternative names of type DNS (a node: its id, {@code localhost}, ...)
   * @param ipAddresses subject alternative names of type IP
   * @param server whether it may serve TLS (extended key usage serverAuth)
   * @param client whether it may authenticate as a TLS client (clientAuth)
   * @param notBefore start of validity
   * @param notAfter end of validity
   */
  public record Request(
      String name,
      List<String> dnsNames,
      List<String> ipAddresses,
      boolean server,
      boolean client,
      Instant notBefore,
      Instant notAfter) {

    public Request {
      dnsNames = List.copyOf(dnsNames);
      ipAddresses = List.copyOf(ipAddresses);
    }

    /**
     * A node certificate valid from now for {@code validity}: CN and a DNS name equal to the node
     * id (how peers recognise a member), plus {@code hosts} (names or IP literals) it serves on.
     */
    public static Request node(String id, List<String> hosts, Duration validity) {
      List<String> dns = new ArrayList<>(List.of(id));
      List<String> ips = new ArrayList<>();
      for (String h : hosts) {
        (isIpLiteral(h) ? ips : dns).add(h);
      }
      Instant now = Instant.now();
      return new Request(
          id, dns, ips, true, true, now.minus(Duration.ofMinutes(5)), now.plus(validity));
    }

    /** A client certificate named {@code name}, valid from now for {@code validity}. */
    public static Request client(String name, Duration validity) {
      Instant now = Instant.now();
      return new Request(
          name,
          List.of(),
          List.of(),
          false,
          true,
          now.minus(Duration.ofMinutes(5)),
          now.plus(validity));
    }

    public Request validBetween(Instant from, Instant until) {
      return new Request(name, dnsNames, ipAddresses, server, client, from, until);
    }
  }

  private final Issued root;
  private final SecureRandom random = new SecureRandom();

  private CertificateAuthority(Issued root) {
    this.root = root;
  }

  /** A new CA named {@code name}, valid from now for {@code validity}. */
  public static CertificateAuthority create(String name, Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      X500Name subject = x500(name);
      Instant now = Instant.now();
      SecureRandom random = new SecureRandom();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, random).abs().add(BigInteger.ONE),
              Date.from(now.minus(Duration.ofMinutes(5))),
              Date.from(now.plus(validity)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      return new CertificateAuthority(new Issued(sign(b, pair.getPrivate()), pair.getPrivate()));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create a certificate authority: " + e.getMessage(), e);
    }
  }

  /** The CA's own certificate, which every party trusts. */
  public X509Certificate certificate() {
    return root.certificate();
  }

  /** The CA's certificate and key. */
  public Issued root() {
    return root;
  }

  /** Issues a certificate for a new key pair as {@code req} describes. */
  public Issued issue(Request req) {
    try {
      KeyPair pair = newKeyPair();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              root.certificate(),
              new BigInteger(64, random).abs().add(BigInteger.ONE),
              Date.from(req.notBefore()),
              Date.from(req.notAfter()),
              x500(req.name()),
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (req.server()) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (req.client()) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      b.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
      List<GeneralName> names = new ArrayList<>();
      for (String dns : req.dnsNames()) {
        names.add(new GeneralName(GeneralName.dNSName, dns));
      }
      for (String ip : req.ipAddresses()) {
        names.add(new GeneralName(GeneralName.iPAddress, ip));
      }
      if (!names.isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(new GeneralName[0])));
      }
      b.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(root.certificate()));
      return new Issued(sign(b, root.key()), pair.getPrivate());
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot issue a certificate for " + req.name() + ": " + e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static X500Name x500(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Faultline")
        .addRDN(BCStyle.CN, cn)
        .build();
  }

  static boolean isIpLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.matches("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
  }
}
