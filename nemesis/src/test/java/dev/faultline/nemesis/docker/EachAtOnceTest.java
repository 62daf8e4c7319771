package dev.faultline.nemesis.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** How a Docker cluster starts and stops its nodes: all at once, every failure reported. */
class EachAtOnceTest {

  @Test
  void everyNodeStartsWhileTheOthersAreStillStarting() {
    // Each action waits until all three have begun: one after another, the first would wait alone.
    var begun = new CountDownLatch(3);
    Set<String> sawTheOthers = ConcurrentHashMap.newKeySet();
    EachAtOnce.run(
        List.of("n1", "n2", "n3"),
        id -> {
          begun.countDown();
          try {
            if (begun.await(30, TimeUnit.SECONDS)) {
              sawTheOthers.add(id);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(sawTheOthers).containsExactlyInAnyOrder("n1", "n2", "n3");
  }

  @Test
  void everyActionRunsEvenWhenOneFailsAndEveryFailureIsReported() {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    assertThatThrownBy(
            () ->
                EachAtOnce.run(
                    List.of("n1", "n2", "n3"),
                    id -> {
                      ran.add(id);
                      if (!id.equals("n2")) {
                        throw new IllegalStateException("container " + id + " did not start");
                      }
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageMatching("container n[13] did not start")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    assertThat(ran).containsExactlyInAnyOrder("n1", "n2", "n3");
  }
}
