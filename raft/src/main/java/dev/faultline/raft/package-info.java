/**
 * The Raft consensus core: a pure, deterministic state machine stepped by messages and ticks (in
 * the manner of etcd-io/raft), the {@code LogStorage} and {@code StateMachine} interfaces with
 * in-memory implementations, the {@code Transport} interface, and the event-loop runtime that
 * persists with group commit, sends, applies and completes client futures. Imports nothing of
 * Faultline's and no network library.
 */
package dev.faultline.raft;
