package dev.faultline.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** Reports the build's version and the git commit it was built from (recorded at build time). */
public final class VersionProvider implements CommandLine.IVersionProvider {

  /**
   * The commit the jar was built from, abbreviated, with "-dirty" when the tree had changes; or
   * "unknown".
   */
  public static String commit() {
    Properties p = new Properties();
    try (InputStream in = Faultline.class.getResourceAsStream("/faultline-git.properties")) {
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

  public static String version() {
    String v = Faultline.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "faultline " + version() + " (commit " + commit() + ")",
      "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
    };
  }
}
