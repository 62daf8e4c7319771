/**
 * The history: the record of what every process invoked and what came back, shared by the workloads
 * that write it and the checker and reports that read it. {@link dev.faultline.histories.Op} and
 * {@link dev.faultline.histories.History} are the model; the {@code format} package reads and
 * writes JSON Lines, Jepsen EDN, Jepsen's text log and Porcupine's kv lines.
 */
package dev.faultline.histories;
