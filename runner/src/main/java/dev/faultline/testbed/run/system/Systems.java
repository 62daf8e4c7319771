package dev.faultline.testbed.run.system;

import dev.faultline.testbed.run.system.etcd.EtcdSystem;
import dev.faultline.testbed.run.system.faultline.FaultlineSystem;
import dev.faultline.testbed.run.system.process.ProcessSystem;
import dev.faultline.testbed.run.system.redis.RedisSystem;
import dev.faultline.testbed.run.system.zookeeper.ZooKeeperSystem;
import java.util.List;

/** The systems {@code --db} can name. */
public final class Systems {
  private Systems() {}

  public static final List<String> NAMES =
      List.of("faultline", "etcd", "zookeeper", "redis", "process");

  /**
   * The system a spec names, its options checked.
   *
   * @throws IllegalArgumentException in one line for an unknown system, option or value
   */
  public static SystemUnderTest of(SystemSpec spec) {
    if (spec.command().isPresent() && !spec.name().equals("process")) {
      throw new IllegalArgumentException(
          "--db-cmd is for --db process only; --db " + spec.name() + " starts its own programs");
    }
    return switch (spec.name()) {
      case "faultline" -> new FaultlineSystem(spec);
      case "etcd" -> new EtcdSystem(spec);
      case "zookeeper" -> new ZooKeeperSystem(spec);
      case "redis" -> new RedisSystem(spec);
      case "process" -> new ProcessSystem(spec);
      default ->
          throw new IllegalArgumentException(
              "--db " + spec.name() + ": unknown system; use " + String.join(", ", NAMES));
    };
  }
}
