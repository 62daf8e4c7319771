package dev.faultline.nemesis.net;

/**
 * Network faults between the nodes of a run. The nodes never cooperate: faults are imposed from
 * outside them. {@link #partition} replaces any grudge in force; {@link #heal} removes it.
 */
public interface Net {
  void partition(Grudge grudge);

  void heal();

  /** The grudge in force now ({@link Grudge#NONE} after a heal). */
  Grudge current();
}
