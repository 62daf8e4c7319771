package dev.faultline.checker;

import java.util.List;

/**
 * The verdict for one partition of a history: one key, or the whole history when it is not split.
 *
 * @param key the key ({@code null} for an unkeyed history or an unsplit check)
 * @param verdict the key's verdict
 * @param decided false when the search never ran or was stopped because another key was invalid
 * @param ops the number of client calls of the key, failed ones included
 * @param searched the calls the search had to place (failed calls and indeterminate reads dropped)
 * @param nanos time spent on the key's search
 * @param reason for UNKNOWN: why the search stopped; otherwise null
 * @param initialState the model's initial state, in words
 * @param linearization for VALID the order found; otherwise the longest linearizable prefix found;
 *     empty when explanations were turned off
 * @param counterexample for INVALID, the failure; otherwise null
 * @param steps search steps taken
 * @param memoEntries configurations memoised
 */
public record KeyResult(
    Object key,
    Verdict verdict,
    boolean decided,
    int ops,
    int searched,
    long nanos,
    String reason,
    String initialState,
    List<Step> linearization,
    Counterexample counterexample,
    long steps,
    int memoEntries) {}
