package dev.faultline.testbed.sim;

import dev.faultline.workloads.Command;

/**
 * A client operation in flight: its id, the client slot and process that issued it, and the
 * workload's command.
 */
record Request(long id, int client, long process, Command command) {

  String f() {
    return command.f();
  }

  String key() {
    return command.key();
  }

  @Override
  public String toString() {
    return "#" + id + " p" + process + " " + command;
  }
}
