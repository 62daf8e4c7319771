package dev.faultline.api.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a peer's call only when its TLS client certificate (already verified against the cluster's
 * CA by the handshake) names exactly one current member: a DNS subject alternative name or the
 * common name equal to the member id. The id is put into the call's {@link Context} under {@link
 * #PEER_ID}, so the transport can check that every envelope comes {@code from} that member.
 * Anything else ends with {@code PERMISSION_DENIED} before a message is read.
 */
final class PeerIdentity implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(PeerIdentity.class);

  /** The member id the calling peer's certificate names. */
  static final Context.Key<String> PEER_ID = Context.key("faultline-peer-id");

  private final String selfId;
  private final Predicate<String> isMember;
  private final AtomicLong refused = new AtomicLong();

  PeerIdentity(String selfId, Predicate<String> isMember) {
    this.selfId = selfId;
    this.isMember = isMember;
  }

  long refused() {
    return refused.get();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    X509Certificate leaf = null;
    if (session != null) {
      try {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
          leaf = x;
        }
      } catch (SSLPeerUnverifiedException e) {
        leaf = null;
      }
    }
    if (leaf == null) {
      return refuse(call, Status.UNAUTHENTICATED, "a peer must present a client certificate");
    }
    List<String> members = names(leaf).stream().filter(isMember).distinct().toList();
    if (members.size() != 1) {
      return refuse(
          call,
          Status.PERMISSION_DENIED,
          "certificate "
              + leaf.getSubjectX500Principal().getName()
              + " names "
              + (members.isEmpty() ? "no member" : "several members " + members)
              + " of node "
              + selfId
              + "'s cluster");
    }
    Context ctx = Context.current().withValue(PEER_ID, members.get(0));
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  private <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Status status, String why) {
    if (refused.incrementAndGet() % 100 == 1) {
      LOG.warn(
          "{}: refused Raft traffic from {}: {}",
          selfId,
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          why);
    }
    call.close(status.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  /** The DNS subject alternative names and the common name of {@code cert}. */
  static Set<String> names(X509Certificate cert) {
    Set<String> out = new LinkedHashSet<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (Integer.valueOf(2).equals(san.get(0)) && san.get(1) instanceof String dns) {
            out.add(dns);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // No usable alternative names; the common name may still identify the peer.
    }
    try {
      List<Rdn> rdns =
          new ArrayList<>(new LdapName(cert.getSubjectX500Principal().getName()).getRdns());
      for (Rdn rdn : rdns) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          out.add(rdn.getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      // A subject that is not a distinguished name names nothing.
    }
    return out;
  }
}
