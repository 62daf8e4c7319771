package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class JUnitReportTest {

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, String> props() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("seed", "42");
    p.put("command", "faultline test --seed 42 <&>");
    return p;
  }

  @Test
  void anInvalidRunIsAFailureWithTheCulpritAsMessage() throws Exception {
    Banner b =
        new Banner(
            "invalid",
            "Invalid: no order explains it.",
            List.of(
                "A read of key \"x\" on n3 returned 4 after a write of 5 had been acknowledged"),
            7);
    Document d =
        parse(JUnitReport.xml("faultline.register-partition", "20260102T030405", 61.5, b, props()));
    Element suites = d.getDocumentElement();
    assertThat(suites.getTagName()).isEqualTo("testsuites");
    assertThat(suites.getAttribute("failures")).isEqualTo("1");
    assertThat(suites.getAttribute("errors")).isEqualTo("0");
    Element tc = (Element) d.getElementsByTagName("testcase").item(0);
    assertThat(tc.getAttribute("classname")).isEqualTo("faultline.register-partition");
    assertThat(tc.getAttribute("name")).isEqualTo("20260102T030405");
    assertThat(tc.getAttribute("time")).isEqualTo("61.500");
    Element failure = (Element) tc.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("message"))
        .isEqualTo("A read of key \"x\" on n3 returned 4 after a write of 5 had been acknowledged");
    assertThat(failure.getAttribute("type")).isEqualTo("invalid");
    assertThat(failure.getTextContent()).contains("Invalid: no order explains it.");
    assertThat(d.getElementsByTagName("property").getLength()).isEqualTo(2);
    Element command = (Element) d.getElementsByTagName("property").item(1);
    assertThat(command.getAttribute("value")).isEqualTo("faultline test --seed 42 <&>");
  }

  @Test
  void anUnknownRunIsAnErrorAndAValidRunPasses() throws Exception {
    Banner unknown = new Banner("unknown", "Unknown: budget spent.", List.of("Why: x."), -1);
    Document d = parse(JUnitReport.xml("s", "n", 1, unknown, Map.of()));
    assertThat(d.getElementsByTagName("error").getLength()).isEqualTo(1);
    assertThat(((Element) d.getElementsByTagName("error").item(0)).getAttribute("message"))
        .isEqualTo("unknown: x.");
    assertThat(d.getDocumentElement().getAttribute("errors")).isEqualTo("1");

    Banner valid = new Banner("valid", "Valid: fine.", List.of(), -1);
    Document v = parse(JUnitReport.xml("s", "n", 1, valid, Map.of()));
    assertThat(v.getElementsByTagName("failure").getLength()).isZero();
    assertThat(v.getElementsByTagName("error").getLength()).isZero();
    assertThat(v.getElementsByTagName("testcase").getLength()).isEqualTo(1);
  }

  @Test
  void aFailedRunIsAnErrorNamingWhyTheRunFailed() throws Exception {
    Banner failed =
        new Banner(
            "failed", "Failed: the run itself failed.", List.of("Why: no leader in 60 s"), -1);
    Element error =
        (Element)
            parse(JUnitReport.xml("s", "n", 0, failed, Map.of()))
                .getElementsByTagName("error")
                .item(0);
    assertThat(error.getAttribute("type")).isEqualTo("failed");
    assertThat(error.getAttribute("message")).isEqualTo("failed: no leader in 60 s");
  }

  @Test
  void noVerdictIsAnErrorAndControlCharactersAreDropped() throws Exception {
    Banner none = new Banner("none", "No verdict: results.json is missing\u0001.", List.of(), -1);
    Document d = parse(JUnitReport.xml("s", "n", 0, none, Map.of()));
    Element error = (Element) d.getElementsByTagName("error").item(0);
    assertThat(error.getAttribute("type")).isEqualTo("none");
    assertThat(error.getAttribute("message")).isEqualTo("No verdict: results.json is missing.");
  }
}
