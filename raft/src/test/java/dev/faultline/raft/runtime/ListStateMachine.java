package dev.faultline.raft.runtime;

import dev.faultline.raft.StateMachine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends every non-empty command to a list; a query returns the list's size. Thread-safe for
 * reading.
 */
final class ListStateMachine implements StateMachine {
  private final List<String> applied = new ArrayList<>();
  private long index;

  @Override
  public synchronized byte[] apply(long index, byte[] command) {
    this.index = index;
    if (command.length == 0) {
      return command; // not a client command
    }
    applied.add(new String(command));
    return ("ok" + applied.size()).getBytes();
  }

  @Override
  public synchronized byte[] query(byte[] query) {
    return Integer.toString(applied.size()).getBytes();
  }

  @Override
  public synchronized long appliedIndex() {
    return index;
  }

  synchronized List<String> commands() {
    return List.copyOf(applied);
  }

  @Override
  public synchronized void writeSnapshot(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(applied.size());
    for (String s : applied) {
      d.writeUTF(s);
    }
    d.flush();
  }

  @Override
  public synchronized void restoreSnapshot(long index, InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    applied.clear();
    for (int n = d.readInt(); n > 0; n--) {
      applied.add(d.readUTF());
    }
    this.index = index;
  }
}
