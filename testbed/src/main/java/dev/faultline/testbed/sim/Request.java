package dev.faultline.testbed.sim;

/**
 * A client operation in flight: its id, the process and client that issued it, and what it does.
 * {@code value} is the value written (write, cas) and {@code expected} the value a cas expects
 * (null = absent).
 */
record Request(
    long id, int client, long process, String f, String key, Long value, Long expected) {}
