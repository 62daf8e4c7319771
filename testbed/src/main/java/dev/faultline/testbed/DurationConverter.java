package dev.faultline.testbed;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The one grammar for durations on the command line: a number, whole or decimal, with an optional
 * unit {@code ms}, {@code s}, {@code m} or {@code h} (no unit means seconds), or ISO-8601 such as
 * {@code PT30S}. So {@code 30}, {@code 30s}, {@code 1.5s}, {@code 500ms}, {@code 2m}, {@code 1h}
 * and {@code PT1M30S} are all durations; a negative one is not.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PLAIN = Pattern.compile("(\\d+(?:\\.\\d+)?|\\.\\d+)(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses {@code text} by the grammar above, to the millisecond for decimals.
   *
   * @throws IllegalArgumentException naming the text and the forms accepted
   */
  public static Duration parse(String text) {
    String t = text.strip();
    Matcher m = PLAIN.matcher(t.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      String unit = m.group(2) == null ? "s" : m.group(2);
      long millisPerUnit =
          switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
          };
      BigDecimal millis = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(millisPerUnit));
      try {
        return Duration.ofMillis(
            millis.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
      } catch (ArithmeticException tooLong) {
        throw notADuration(text);
      }
    }
    if (t.toUpperCase(Locale.ROOT).startsWith("PT")) {
      try {
        Duration d = Duration.parse(t);
        if (!d.isNegative()) {
          return d;
        }
      } catch (DateTimeParseException e) {
        // falls through to the one message
      }
    }
    throw notADuration(text);
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "'"
            + text
            + "' is not a duration: write seconds (30, 1.5) or with a unit (500ms, 30s, 2m, 1h),"
            + " or ISO-8601 (PT30S)");
  }
}
