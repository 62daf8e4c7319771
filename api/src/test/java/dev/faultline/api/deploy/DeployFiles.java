package dev.faultline.api.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** The deployment files of the project, found from the surefire-provided project root. */
final class DeployFiles {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private DeployFiles() {}

  static Path root() {
    Path root = Path.of(System.getProperty("faultline.root", ".")).toAbsolutePath().normalize();
    // Run from the module directory (an IDE), the project root is one up.
    return Files.exists(root.resolve("deploy")) ? root : root.getParent();
  }

  static Path file(String relative) {
    Path p = root().resolve(relative);
    if (!Files.isRegularFile(p)) {
      throw new AssertionError("missing deployment file " + p);
    }
    return p;
  }

  /** Every document of a (multi-document) YAML file, as trees. */
  static List<JsonNode> yamlDocuments(Path file) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  /** A YAML file with anchors and merge keys resolved (Compose files use them). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlResolved(Path file) throws IOException {
    return (Map<String, Object>) new Yaml().load(Files.readString(file));
  }
}
