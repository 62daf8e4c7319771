package dev.faultline.testbed.run;

import dev.faultline.nemesis.docker.DockerCluster;
import dev.faultline.nemesis.toxiproxy.ToxiproxyControl;
import java.io.IOException;
import java.util.Optional;

/**
 * What a backend needs from this machine before a run starts: a Toxiproxy server that answers for
 * {@code --net toxiproxy}, a Docker engine and the project's Dockerfile for {@code --cluster
 * docker}. Checked once, before any run directory is made, so a missing one is a one-line exit 3.
 */
public final class RunPreconditions {
  private RunPreconditions() {}

  /** Why a run on {@code backend} cannot start here, or empty when it can. */
  public static Optional<String> unmet(Backend backend) {
    if (backend.cluster() == Backend.Cluster.DOCKER) {
      Optional<String> docker = DockerCluster.unavailableReason();
      if (docker.isPresent()) {
        return Optional.of("--cluster docker needs a Docker engine: " + docker.get());
      }
      try {
        DockerDeployment.projectRoot();
      } catch (IllegalStateException e) {
        return Optional.of(e.getMessage());
      }
      return Optional.empty();
    }
    if (backend.proxiedLinks()) {
      try {
        ToxiproxyControl.of(backend.toxiproxy()).version();
      } catch (IOException | RuntimeException e) {
        return Optional.of(
            "--net toxiproxy: no toxiproxy-server answers at "
                + backend.toxiproxy()
                + " ("
                + TestRun.text(e)
                + "); start one with 'toxiproxy-server -host 127.0.0.1 -port 8474' or point"
                + " --toxiproxy at yours");
      }
    }
    return Optional.empty();
  }
}
