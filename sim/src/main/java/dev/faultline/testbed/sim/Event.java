package dev.faultline.testbed.sim;

/**
 * Something that happens at a simulated instant. Events at the same instant fire in the order they
 * were scheduled ({@code seq}), so a run is a pure function of its seed.
 */
abstract class Event {
  long time;
  long seq;

  abstract void fire(Simulation sim);

  /** A stable number describing this event, folded into the trace hash. */
  abstract long fingerprint();

  /** One line for the trace file. */
  abstract String describe();

  /** An event that runs an action; {@code kind} labels it in the trace. */
  static final class Action extends Event {
    private final String label;
    private final Runnable action;

    Action(String label, Runnable action) {
      this.label = label;
      this.action = action;
    }

    @Override
    void fire(Simulation sim) {
      action.run();
    }

    @Override
    long fingerprint() {
      return label.hashCode();
    }

    @Override
    String describe() {
      return label;
    }
  }
}
