package dev.faultline.testbed.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.faultline.histories.History;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The series of a run as the JSON the report's script draws: times in seconds since the run began,
 * latencies in milliseconds, throughput in completions per second, columns as arrays (what the
 * chart library takes) and windows with no calls as {@code null} so lines break there. A time
 * window's value is drawn at the window's middle.
 */
final class ChartData {
  private ChartData() {}

  private static final JsonFactory JSON = new JsonFactory();

  static String json(History history, List<FaultWindow> windows, long culpritTime) {
    StringWriter w = new StringWriter(1 << 16);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      long span = history == null ? 0 : Series.span(history);
      long width = Series.windowFor(span);
      g.writeNumberField("span", seconds(span));
      g.writeNumberField("width", seconds(width));
      if (culpritTime >= 0) {
        g.writeNumberField("culprit", seconds(culpritTime));
      } else {
        g.writeNullField("culprit");
      }
      g.writeArrayFieldStart("windows");
      for (FaultWindow f : windows) {
        g.writeStartObject();
        g.writeStringField("fault", f.fault());
        g.writeStringField("label", f.label());
        g.writeNumberField("start", seconds(f.start()));
        g.writeNumberField("end", seconds(f.end()));
        g.writeBooleanField("healed", f.healed());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (history != null) {
        scatter(g, Series.samples(history));
        quantiles(g, Series.quantiles(history, width), width);
        throughput(g, Series.throughput(history, width), width);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  private static void scatter(JsonGenerator g, List<Series.Sample> samples) throws IOException {
    g.writeObjectFieldStart("scatter");
    g.writeArrayFieldStart("t");
    for (Series.Sample s : samples) {
      g.writeNumber(seconds(s.time()));
    }
    g.writeEndArray();
    g.writeArrayFieldStart("lat");
    for (Series.Sample s : samples) {
      g.writeNumber(millis(s.latency()));
    }
    g.writeEndArray();
    g.writeArrayFieldStart("o");
    for (Series.Sample s : samples) {
      g.writeNumber(
          switch (s.outcome()) {
            case OK -> 0;
            case FAIL -> 1;
            default -> 2;
          });
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void quantiles(JsonGenerator g, List<Series.Quantiles> qs, long width)
      throws IOException {
    g.writeObjectFieldStart("quantiles");
    g.writeArrayFieldStart("t");
    for (Series.Quantiles q : qs) {
      g.writeNumber(seconds(q.start() + width / 2));
    }
    g.writeEndArray();
    String[] names = {"p50", "p95", "p99", "max"};
    for (int k = 0; k < names.length; k++) {
      g.writeArrayFieldStart(names[k]);
      for (Series.Quantiles q : qs) {
        if (q.count() == 0) {
          g.writeNull();
        } else {
          long v =
              switch (k) {
                case 0 -> q.p50();
                case 1 -> q.p95();
                case 2 -> q.p99();
                default -> q.max();
              };
          g.writeNumber(millis(v));
        }
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void throughput(JsonGenerator g, List<Series.Throughput> ts, long width)
      throws IOException {
    double perSecond = 1e9 / width;
    g.writeObjectFieldStart("throughput");
    g.writeArrayFieldStart("t");
    for (Series.Throughput t : ts) {
      g.writeNumber(seconds(t.start() + width / 2));
    }
    g.writeEndArray();
    String[] names = {"ok", "fail", "info"};
    for (int k = 0; k < names.length; k++) {
      g.writeArrayFieldStart(names[k]);
      for (Series.Throughput t : ts) {
        int n = k == 0 ? t.ok() : k == 1 ? t.fail() : t.info();
        g.writeNumber(round(n * perSecond, 1e3));
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** Seconds, to the microsecond. */
  static double seconds(long nanos) {
    return round(nanos / 1e9, 1e6);
  }

  /** Milliseconds, to the microsecond, never 0 so a log scale can show it. */
  static double millis(long nanos) {
    return Math.max(0.001, round(nanos / 1e6, 1e3));
  }

  private static double round(double v, double scale) {
    return Math.round(v * scale) / scale;
  }
}
