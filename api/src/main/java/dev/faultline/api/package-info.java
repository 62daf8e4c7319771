/**
 * A node's edges: the {@link dev.faultline.api.KvBackend} they drive; the HTTP API (Javalin, in
 * {@code http}); the gRPC Kv service and the Raft transport ({@code grpc}); metrics ({@code
 * metrics}); node configuration ({@code config}); the Java client ({@code client}); and the backend
 * of a real node over Raft and the store ({@code node}).
 */
package dev.faultline.api;
