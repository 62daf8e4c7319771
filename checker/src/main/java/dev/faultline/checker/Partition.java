package dev.faultline.checker;

import dev.faultline.checker.model.Model;
import dev.faultline.histories.Call;
import java.util.ArrayList;
import java.util.List;

/**
 * One key's calls, prepared for the search: failed calls and calls that constrain nothing dropped,
 * each remaining call's model input computed once, with its invocation and completion positions.
 */
final class Partition<S, I> {
  final Object key;
  final Model<S, I> model;
  final int calls;
  final List<Call> kept = new ArrayList<>();
  final I[] inputs;
  final int[] invokePos;
  final int[] completePos;

  @SuppressWarnings("unchecked")
  Partition(Object key, Model<S, I> partitionModel, List<Call> calls) {
    this.key = key;
    this.model = partitionModel;
    this.calls = calls.size();
    List<I> in = new ArrayList<>(calls.size());
    for (Call c : calls) {
      if (c.outcome() == Call.Outcome.FAIL) {
        continue;
      }
      I input = model.input(c);
      if (input != null) {
        kept.add(c);
        in.add(input);
      }
    }
    inputs = (I[]) in.toArray();
    invokePos = new int[kept.size()];
    completePos = new int[kept.size()];
    for (int i = 0; i < kept.size(); i++) {
      Call c = kept.get(i);
      invokePos[i] = c.invoke().index();
      completePos[i] = c.isIndeterminate() ? -1 : c.completion().index();
    }
  }

  Linearizer.Outcome search(Budget budget) {
    return searcher(budget).run();
  }

  /** A fresh search of this key, to be run in slices. */
  Linearizer<S, I> searcher(Budget budget) {
    return new Linearizer<>(model, inputs, invokePos, completePos, budget);
  }
}
