/**
 * The edges of the store: protobuf messages, the gRPC peer transport and client service, the HTTP
 * API (Javalin) with leader redirect, Prometheus metrics (Micrometer), configuration, the Java
 * {@code KvClient} and the node's main.
 */
package dev.faultline.api;
