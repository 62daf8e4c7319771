package dev.faultline.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.api.config.ConfigSources;
import dev.faultline.api.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The defaults of the commands a new user runs one after another (README: {@code cluster up}, then
 * {@code serve}; or a single {@code node}) do not collide: no port is shared, and no default folder
 * is one of the project's own.
 */
class DefaultsTest {

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  @Test
  void nodeClusterAndServeDefaultPortsAreAllDifferent() {
    NodeConfig node = ConfigSources.load(List.of("--id", "n1"), Map.of());
    List<Integer> ports = new ArrayList<>();
    ports.add(port(node.httpAddress()));
    ports.add(port(node.grpcAddress()));
    ports.add(port(node.peerAddress()));
    ClusterCommand.Up up = CommandLine.populateCommand(new ClusterCommand.Up());
    // The largest cluster the command takes, so no --nodes value brings a collision back.
    for (int i = 1; i <= 99; i++) {
      ports.add(up.basePort + i - 1);
      ports.add(up.basePort + 100 + i - 1);
      ports.add(up.basePort + 200 + i - 1);
    }
    ServeCommand serve = CommandLine.populateCommand(new ServeCommand());
    ports.add(serve.port);
    Set<Integer> distinct = new HashSet<>(ports);
    assertThat(distinct).as("default ports of node, cluster up and serve").hasSize(ports.size());
  }

  @Test
  void runsGoWhereServeLooksAndNotIntoAModuleOfTheProject() throws IOException {
    TestCommand test = CommandLine.populateCommand(new TestCommand());
    ServeCommand serve = CommandLine.populateCommand(new ServeCommand());
    SimCommand sim = CommandLine.populateCommand(new SimCommand());
    assertThat(test.store).isEqualTo(serve.store);
    assertThat(sim.out.startsWith(test.store)).as("sim --out under the run store").isTrue();

    Path rootPom = root().resolve("pom.xml");
    Set<String> modules = new HashSet<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(rootPom));
    while (m.find()) {
      modules.add(m.group(1).strip());
    }
    assertThat(modules).contains("store", "testbed");
    Path first = test.store.normalize().getName(0);
    assertThat(modules).doesNotContain(first.toString());
    Path node = ConfigSources.load(List.of("--id", "n1"), Map.of()).dataDir().normalize();
    assertThat(modules).doesNotContain(node.getName(0).toString());
    assertThat(modules).doesNotContain(ClusterCommand.DEFAULT_DATA);
  }

  @Test
  void everyDefaultFolderACommandWritesIsIgnoredByGit() throws IOException {
    List<String> ignored = Files.readAllLines(root().resolve(".gitignore"));
    TestCommand test = CommandLine.populateCommand(new TestCommand());
    Path node = ConfigSources.load(List.of("--id", "n1"), Map.of()).dataDir().normalize();
    for (String folder :
        List.of(
            test.store.normalize().getName(0).toString(),
            node.getName(0).toString(),
            ClusterCommand.DEFAULT_DATA)) {
      assertThat(ignored).as(".gitignore").contains("/" + folder + "/");
    }
  }

  /** The project's root folder (tests run in the testbed module's folder). */
  private static Path root() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
  }
}
