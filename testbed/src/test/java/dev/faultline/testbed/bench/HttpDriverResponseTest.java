package dev.faultline.testbed.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the HTTP load driver tells where an answer ends, fed a byte at a time or all at once. */
class HttpDriverResponseTest {

  /** Feeds {@code text} in pieces of {@code piece} bytes; the status once complete, else -1. */
  private static int feed(HttpDriver.Response r, String text, int piece, boolean endAfter)
      throws IOException {
    byte[] all = text.getBytes(StandardCharsets.ISO_8859_1);
    int status = -1;
    for (int i = 0; i < all.length; i += piece) {
      byte[] part = java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + piece));
      r.append(part);
      status = r.complete(false);
      if (status >= 0 && i + piece < all.length) {
        throw new AssertionError("complete before its last byte, at " + (i + piece));
      }
    }
    return endAfter && status < 0 ? r.complete(true) : status;
  }

  @Test
  void aContentLengthAnswerEndsAtItsLastByteWhateverThePieces() throws IOException {
    String answer =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
            + "{\"ok\":true}";
    for (int piece : new int[] {1, 7, 1000}) {
      HttpDriver.Response r = new HttpDriver.Response();
      assertThat(feed(r, answer, piece, false)).isEqualTo(200);
      assertThat(r.closes).isFalse();
    }
  }

  @Test
  void aChunkedAnswerEndsAfterItsLastChunkAndTrailers() throws IOException {
    String answer =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n"
            + "6;ext=1\r\n world\r\n"
            + "0\r\nX-Trailer: 1\r\n\r\n";
    for (int piece : new int[] {1, 3, 1000}) {
      HttpDriver.Response r = new HttpDriver.Response();
      assertThat(feed(r, answer, piece, false)).isEqualTo(200);
    }
  }

  @Test
  void aRedirectNamesItsLocationAndAnAnswerWithoutALengthEndsWithTheConnection()
      throws IOException {
    HttpDriver.Response redirect = new HttpDriver.Response();
    assertThat(
            feed(
                redirect,
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:8082/v1/kv/k\r\n"
                    + "content-length: 0\r\n\r\n",
                4,
                false))
        .isEqualTo(307);
    assertThat(redirect.location).isEqualTo("http://127.0.0.1:8082/v1/kv/k");

    HttpDriver.Response toTheEnd = new HttpDriver.Response();
    String answer = "HTTP/1.0 200 OK\r\n\r\nbody until the end";
    toTheEnd.append(answer.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(toTheEnd.complete(false)).isEqualTo(-1);
    assertThat(toTheEnd.complete(true)).isEqualTo(200);
    assertThat(toTheEnd.closes).isTrue();
  }

  @Test
  void noContentHasNoBodyAndConnectionCloseIsHeard() throws IOException {
    HttpDriver.Response r = new HttpDriver.Response();
    assertThat(feed(r, "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", 5, false))
        .isEqualTo(204);
    assertThat(r.closes).isTrue();
  }

  @Test
  void somethingThatIsNotHttpIsAnError() {
    HttpDriver.Response r = new HttpDriver.Response();
    r.append("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> r.complete(false)).hasMessageContaining("not an HTTP response");
    HttpDriver.Response badChunk = new HttpDriver.Response();
    badChunk.append(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
            .getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> badChunk.complete(false)).hasMessageContaining("bad chunk size");
  }

  @Test
  void aRequestCarriesItsHostLengthAndBody() {
    ByteBuffer b =
        HttpDriver.encode(
            new KvProtocol.Request("PUT", "/v1/kv/k1", "application/octet-stream", new byte[] {1}),
            URI.create("http://127.0.0.1:8081"));
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
        .isEqualTo(
            "PUT /v1/kv/k1 HTTP/1.1\r\nHost: 127.0.0.1:8081\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 1\r\n\r\n\u0001");
    ByteBuffer get =
        HttpDriver.encode(
            new KvProtocol.Request("GET", "/v1/kv/k1", null, null),
            URI.create("http://127.0.0.1:8081"));
    assertThat(StandardCharsets.ISO_8859_1.decode(get).toString())
        .isEqualTo("GET /v1/kv/k1 HTTP/1.1\r\nHost: 127.0.0.1:8081\r\n\r\n");
  }
}
