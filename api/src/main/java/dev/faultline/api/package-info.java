/**
 * The node's client-facing edges: the {@link dev.faultline.api.KvBackend} they drive, the HTTP API
 * (Javalin), the gRPC services and the Raft transport, metrics, node configuration and the Java
 * client.
 */
package dev.faultline.api;
