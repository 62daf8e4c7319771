package dev.faultline.checker;

import java.util.List;

/**
 * Why a key is not linearizable: after the longest linearizable prefix the search found (the key's
 * {@link KeyResult#linearization()}), the culprit must take effect before its completion, but no op
 * that could come next leads there.
 *
 * @param culprit the history index of the culprit's invocation
 * @param culpritCompletion the history index of its completion
 * @param culpritDescription the culprit as the model reads it
 * @param states the model states reachable after the prefix (at most 16), in words
 * @param candidates every op that could come next at that point, each with why it cannot
 * @param windowFrom the first history index of the window of ops concurrent with the failure
 * @param windowTo the last history index of that window
 */
public record Counterexample(
    int culprit,
    int culpritCompletion,
    String culpritDescription,
    List<String> states,
    List<Candidate> candidates,
    int windowFrom,
    int windowTo) {}
