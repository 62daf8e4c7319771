package dev.faultline.testbed.serve;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A run directory as a zip archive: every regular file under it (symbolic links are not followed),
 * named {@code <prefix>/<relative path>}, in sorted order.
 */
public final class RunZip {
  private RunZip() {}

  public static void write(Path runDir, String prefix, OutputStream out) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(runDir)) {
      files =
          s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
              .filter(p -> !p.getFileName().toString().endsWith(".tmp"))
              .sorted()
              .toList();
    }
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Path f : files) {
      String rel = runDir.relativize(f).toString().replace('\\', '/');
      ZipEntry e = new ZipEntry(prefix + "/" + rel);
      e.setLastModifiedTime(Files.getLastModifiedTime(f));
      zip.putNextEntry(e);
      Files.copy(f, zip);
      zip.closeEntry();
    }
    zip.finish();
    zip.flush();
  }
}
