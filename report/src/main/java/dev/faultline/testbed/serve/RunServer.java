package dev.faultline.testbed.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI over a store of runs (Javalin): the run list with filters, each run's report and raw
 * files, a run as a zip. Every path from a request goes through {@link RunStore}, so nothing
 * outside the store is ever served; a missing or half-written run is a page saying so.
 */
public final class RunServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunServer.class);

  private final Javalin app;

  private RunServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts serving {@code store} on {@code bind:port} (port 0: any free port).
   *
   * @throws IllegalArgumentException with a one-line reason when the store holds something other
   *     than runs, or the address cannot be listened on (not this machine's, or the port is taken)
   */
  public static RunServer start(Path store, String bind, int port) throws IOException {
    Optional<String> refused = RunStore.refusal(store, "--store");
    if (refused.isPresent()) {
      throw new IllegalArgumentException(refused.get());
    }
    requireBindable(bind, port);
    RunStore runs = new RunStore(store);
    Javalin app =
        Javalin.create(
            config -> {
              config.showJavalinBanner = false;
              config.router.ignoreTrailingSlashes = false;
            });
    app.before(
        ctx -> {
          // The router decodes path parameters and fails with a 500 on a broken escape.
          int bad = badEscape(ctx.req().getRequestURI());
          if (bad >= 0) {
            ctx.status(400)
                .contentType("text/plain; charset=utf-8")
                .result(
                    "Bad request: invalid percent-encoding at character "
                        + bad
                        + " of the path ('%' must be followed by two hex digits).");
            ctx.skipRemainingHandlers();
          }
        });
    app.get("/", ctx -> ctx.html(ServePages.list(runs.root(), runs.list(), filter(ctx))));
    app.get(
        "/api/runs",
        ctx -> {
          ServePages.Filter f = filter(ctx);
          ctx.json(runs.list().stream().filter(f::accepts).toList());
        });
    app.get(
        "/runs/{group}/{id}",
        ctx -> {
          Optional<Path> dir = runs.run(ctx.pathParam("group"), ctx.pathParam("id"));
          if (dir.isEmpty()) {
            notFound(ctx, "No run " + ctx.pathParam("group") + "/" + ctx.pathParam("id") + ".");
          } else {
            ctx.redirect(ctx.path() + "/");
          }
        });
    app.get("/runs/{group}/{id}/", ctx -> runPage(ctx, runs, false));
    app.get("/runs/{group}/{id}/files", ctx -> runPage(ctx, runs, true));
    app.get("/runs/{group}/{id}/<file>", ctx -> file(ctx, runs));
    app.get("/zip/{group}/{id}", ctx -> zip(ctx, runs));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.toString());
          ctx.status(500).contentType("text/plain; charset=utf-8").result(e.toString());
        });
    app.start(bind, port);
    return new RunServer(app);
  }

  /** The index of the first {@code %} in {@code path} not followed by two hex digits, or -1. */
  static int badEscape(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length()
          || Character.digit(path.charAt(i + 1), 16) < 0
          || Character.digit(path.charAt(i + 2), 16) < 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Binds {@code bind:port} once and lets it go, so that a wrong address and a port in use get
   * their own one-line message rather than the web server's "port already in use" for both.
   */
  static void requireBindable(String bind, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "--port " + port + ": not a port; use 1 to 65535 (0 picks a free one)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "--bind "
              + bind
              + ": no such host or address; use 127.0.0.1 (this machine only) or 0.0.0.0 (every"
              + " interface)");
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(address, port));
    } catch (BindException e) {
      String why = String.valueOf(e.getMessage());
      if (why.contains("in use")) {
        throw new IllegalArgumentException(
            "port "
                + port
                + " on "
                + bind
                + " is in use: stop what listens there or choose another --port");
      }
      throw new IllegalArgumentException(
          "--bind "
              + bind
              + ": cannot listen there ("
              + why
              + "); it must be an address of this machine, e.g. 127.0.0.1 or 0.0.0.0");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot listen on " + bind + ":" + port + ": " + e.getMessage());
    }
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  private static ServePages.Filter filter(Context ctx) {
    return new ServePages.Filter(
        ctx.queryParam("verdict"), ctx.queryParam("workload"), ctx.queryParam("nemesis"));
  }

  private static void runPage(Context ctx, RunStore runs, boolean listing) throws IOException {
    Optional<Path> dir = runs.run(ctx.pathParam("group"), ctx.pathParam("id"));
    if (dir.isEmpty()) {
      notFound(ctx, "No run " + ctx.pathParam("group") + "/" + ctx.pathParam("id") + ".");
      return;
    }
    Path report = dir.get().resolve("report.html");
    if (!listing && Files.isRegularFile(report)) {
      send(ctx, report);
    } else {
      ctx.html(ServePages.files(RunSummary.read(dir.get()), dir.get()));
    }
  }

  private static void file(Context ctx, RunStore runs) throws IOException {
    Optional<Path> dir = runs.run(ctx.pathParam("group"), ctx.pathParam("id"));
    Optional<Path> file = dir.isEmpty() ? dir : runs.file(dir.get(), ctx.pathParam("file"));
    if (file.isEmpty()) {
      notFound(ctx, "No file " + ctx.pathParam("file") + " in this run.");
      return;
    }
    send(ctx, file.get());
  }

  private static void zip(Context ctx, RunStore runs) throws IOException {
    String group = ctx.pathParam("group");
    String id = ctx.pathParam("id");
    Optional<Path> dir = runs.run(group, id);
    if (dir.isEmpty()) {
      notFound(ctx, "No run " + group + "/" + id + ".");
      return;
    }
    String name = group + "-" + id;
    ctx.contentType("application/zip");
    ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".zip\"");
    RunZip.write(dir.get(), name, ctx.outputStream());
  }

  private static void send(Context ctx, Path file) throws IOException {
    ctx.contentType(contentType(file.getFileName().toString()));
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(ctx.outputStream());
    }
  }

  static String contentType(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String text : List.of(".jsonl", ".edn", ".log", ".txt")) {
      if (n.endsWith(text)) {
        return "text/plain; charset=utf-8";
      }
    }
    if (n.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (n.endsWith(".json")) {
      return "application/json";
    }
    if (n.endsWith(".xml")) {
      return "application/xml";
    }
    return "application/octet-stream";
  }

  private static void notFound(Context ctx, String what) {
    ctx.status(404).html(ServePages.notFound(what));
  }
}
