package dev.faultline.testbed.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The build's version and the git commit it was built from, as recorded at build time in {@code
 * faultline-git.properties} on the class path; what every run writes into test.json.
 */
public final class BuildInfo {
  private BuildInfo() {}

  /**
   * The commit the jar was built from, abbreviated, with "-dirty" when the tree had changes; or
   * "unknown".
   */
  public static String commit() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/faultline-git.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    String id = p.getProperty("git.commit.id.abbrev", "");
    if (id.isEmpty()) {
      return "unknown";
    }
    return "true".equals(p.getProperty("git.dirty")) ? id + "-dirty" : id;
  }

  /** The version in the jar's manifest, or the project's version when run from classes. */
  public static String version() {
    String v = BuildInfo.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
