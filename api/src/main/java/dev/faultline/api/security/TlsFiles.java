package dev.faultline.api.security;

import java.nio.file.Path;

/**
 * Where a party's TLS material lives: its certificate chain (leaf first), its private key, and the
 * CA certificates it trusts, all PEM.
 */
public record TlsFiles(Path cert, Path key, Path ca) {}
