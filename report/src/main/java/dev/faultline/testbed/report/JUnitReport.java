package dev.faultline.testbed.report;

import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A run as JUnit XML for CI systems: one test suite holding one test case (the run). Valid passes,
 * invalid is a {@code <failure>} whose message names the culprit; unknown, failed (the run itself
 * failed) and no verdict are an {@code <error>}.
 */
public final class JUnitReport {
  private JUnitReport() {}

  /**
   * The XML document.
   *
   * @param suite the suite name, e.g. {@code faultline.register-partition}
   * @param name the test case name, e.g. the run's timestamp
   * @param seconds the run's length
   * @param banner the verdict in words
   * @param properties recorded as suite properties (seed, command, commit, ...)
   */
  public static String xml(
      String suite, String name, double seconds, Banner banner, Map<String, String> properties) {
    boolean failure = banner.verdict().equals("invalid");
    boolean error = !failure && !banner.verdict().equals("valid");
    String time = String.format(Locale.ROOT, "%.3f", seconds);
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.writeStartElement("testsuites");
      w.writeAttribute("name", "faultline");
      w.writeAttribute("tests", "1");
      w.writeAttribute("failures", failure ? "1" : "0");
      w.writeAttribute("errors", error ? "1" : "0");
      w.writeAttribute("time", time);
      w.writeCharacters("\n  ");
      w.writeStartElement("testsuite");
      w.writeAttribute("name", suite);
      w.writeAttribute("tests", "1");
      w.writeAttribute("failures", failure ? "1" : "0");
      w.writeAttribute("errors", error ? "1" : "0");
      w.writeAttribute("skipped", "0");
      w.writeAttribute("time", time);
      w.writeCharacters("\n    ");
      w.writeStartElement("properties");
      for (Map.Entry<String, String> p : properties.entrySet()) {
        w.writeCharacters("\n      ");
        w.writeEmptyElement("property");
        w.writeAttribute("name", p.getKey());
        w.writeAttribute("value", clean(p.getValue()));
      }
      w.writeCharacters("\n    ");
      w.writeEndElement();
      w.writeCharacters("\n    ");
      w.writeStartElement("testcase");
      w.writeAttribute("classname", suite);
      w.writeAttribute("name", name);
      w.writeAttribute("time", time);
      if (failure || error) {
        String message = banner.summary();
        w.writeCharacters("\n      ");
        w.writeStartElement(failure ? "failure" : "error");
        w.writeAttribute("message", clean(message));
        w.writeAttribute("type", banner.verdict());
        w.writeCharacters(
            clean(banner.headline() + "\n" + String.join("\n", banner.details()) + "\n"));
        w.writeEndElement();
        w.writeCharacters("\n    ");
      }
      w.writeEndElement();
      w.writeCharacters("\n  ");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("could not write junit.xml: " + e.getMessage(), e);
    }
    return out.toString();
  }

  /**
   * Drops the characters XML 1.0 cannot hold at all (control characters other than tab/newline).
   */
  static String clean(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints()
        .filter(
            c ->
                c == 0x9
                    || c == 0xA
                    || c == 0xD
                    || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD)
                    || c >= 0x10000)
        .forEach(b::appendCodePoint);
    return b.toString();
  }
}
