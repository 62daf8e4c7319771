package dev.faultline.nemesis.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Starts long-lived child processes that die with this JVM. Each child is launched through {@code
 * setpriv --pdeathsig KILL} (which execs, so the pid held is the real program's), and always from
 * one thread that lives as long as the JVM: the kernel sends the death signal when the thread that
 * forked the child exits, so a short-lived caller thread must never be the one that forks.
 */
public final class Spawner {
  private static final ExecutorService FORKER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "nemesis-forker");
            t.setDaemon(true);
            return t;
          });

  private Spawner() {}

  /** {@code argv} prefixed so that the process is SIGKILLed when this JVM dies. */
  public static List<String> dieWithParent(List<String> argv) {
    var wrapped = new ArrayList<String>();
    Tool.SETPRIV
        .find()
        .ifPresent(
            setpriv -> wrapped.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")));
    wrapped.addAll(argv);
    return wrapped;
  }

  /** Starts the process from the forker thread. */
  public static Process start(ProcessBuilder pb) {
    try {
      return FORKER.submit(pb::start).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new UncheckedIOException(
          "cannot start " + String.join(" ", pb.command()) + ": " + cause.getMessage(),
          cause instanceof IOException io ? io : new IOException(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + pb.command().get(0), e);
    }
  }
}
