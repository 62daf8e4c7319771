package dev.faultline.testbed.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A node's logging: INFO and above to {@code DATA_DIR/node.log} (appended across restarts) and to
 * stdout, every line stamped with the wall-clock time to the millisecond and its UTC offset, so a
 * run report can place log lines among the history's events. {@code java.util.logging} and {@code
 * System.Logger} (the Raft runtime, gRPC) are routed into the same appenders.
 */
public final class NodeLogging {

  /** ISO-8601 local time with milliseconds and offset, then level, thread, logger and message. */
  public static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} - %msg%n";

  private NodeLogging() {}

  /** Replaces whatever logging was configured with the node's; {@code logFile}'s folder exists. */
  public static void configure(Path logFile) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    LevelChangePropagator propagator = new LevelChangePropagator();
    propagator.setContext(ctx);
    propagator.setResetJUL(true);
    propagator.start();
    ctx.addListener(propagator);

    FileAppender<ILoggingEvent> file = new FileAppender<>();
    file.setFile(logFile.toString());
    file.setAppend(true);
    start(ctx, file, "file");
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setTarget("System.out");
    start(ctx, console, "stdout");

    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(file);
    root.addAppender(console);
    // Jetty, Javalin and Netty are chatty at INFO about their own start-up (the ready line says
    // where the node listens); their warnings still show.
    ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    ctx.getLogger("io.javalin").setLevel(Level.WARN);
    ctx.getLogger("io.grpc.netty").setLevel(Level.WARN);

    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  private static void start(
      LoggerContext ctx, OutputStreamAppender<ILoggingEvent> appender, String name) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern(PATTERN);
    encoder.start();
    appender.setContext(ctx);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.setImmediateFlush(true);
    appender.start();
  }

  /** Flushes and closes the appenders; call last, from the shutdown hook. */
  public static void stop() {
    ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
  }
}
