package dev.faultline.checker;

/**
 * An op that could have been linearized next at the point where the search got stuck, and why it
 * could not.
 *
 * @param op the history index of the op's invocation
 * @param description the op as the model reads it
 * @param reason why it cannot come next, e.g. {@code read 3, but the register holds 4}
 */
public record Candidate(int op, String description, String reason) {}
