package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The report names the system under test as test.json records it. */
class SystemLineTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void namesTheSystemItsVersionAndItsOptions() throws Exception {
    var test =
        JSON.readTree(
            "{\"system\":{\"name\":\"etcd\",\"version\":\"3.4.23\","
                + "\"options\":{\"reads\":\"serializable\"}}}");

    assertThat(ReportPage.system(test)).isEqualTo("etcd 3.4.23 (reads=serializable)");
  }

  @Test
  void aProcessShowsItsCommandAndAnOlderRunOurNode() throws Exception {
    var test =
        JSON.readTree(
            "{\"system\":{\"name\":\"process\",\"version\":\"node.py sha256:abc\","
                + "\"options\":{},\"command\":\"python3 node.py --id {id}\"}}");

    assertThat(ReportPage.system(test))
        .isEqualTo("process node.py sha256:abc: python3 node.py --id {id}");
    assertThat(ReportPage.system(JSON.readTree("{\"seed\":1}")))
        .isEqualTo("faultline (not recorded)");
  }
}
