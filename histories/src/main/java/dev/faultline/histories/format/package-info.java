/**
 * History files: {@link dev.faultline.histories.format.HistoryFiles} reads JSON Lines (native),
 * Jepsen EDN, Jepsen's text log and Porcupine's kv lines, detected by content, and writes JSON
 * Lines or EDN atomically. Every read error is a {@link
 * dev.faultline.histories.format.HistoryFormatException} naming file, line and column.
 */
package dev.faultline.histories.format;
