package dev.faultline.testbed;

import dev.faultline.testbed.run.BuildInfo;
import picocli.CommandLine;

/** Reports the build's version and the git commit it was built from (recorded at build time). */
public final class VersionProvider implements CommandLine.IVersionProvider {

  /** The commit the jar was built from; see {@link BuildInfo#commit()}. */
  public static String commit() {
    return BuildInfo.commit();
  }

  public static String version() {
    return BuildInfo.version();
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "faultline " + version() + " (commit " + commit() + ")",
      "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
    };
  }
}
