package dev.faultline.checker;

/**
 * One op of a linearization, in the order it was linearized.
 *
 * @param op the history index of the op's invocation
 * @param description the op as the model reads it, e.g. {@code write 3}
 * @param stateAfter the model state once it took effect, in words
 */
public record Step(int op, String description, String stateAfter) {}
