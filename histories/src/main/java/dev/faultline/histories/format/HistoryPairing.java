package dev.faultline.histories.format;

import dev.faultline.histories.History;
import dev.faultline.histories.HistoryBuilder;
import dev.faultline.histories.InvalidHistoryException;
import dev.faultline.histories.Op;

/** Feeds ops to a {@link HistoryBuilder}, turning a pairing misfit into an error at its line. */
final class HistoryPairing {
  private final String source;
  private final HistoryBuilder builder = new HistoryBuilder();

  HistoryPairing(String source) {
    this.source = source;
  }

  Op add(Op op, int line, int column) {
    try {
      return builder.add(op);
    } catch (InvalidHistoryException e) {
      throw new HistoryFormatException(source, line, column, e.getMessage());
    }
  }

  History build() {
    return builder.build();
  }
}
