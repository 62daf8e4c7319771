package dev.faultline.api.security;

import dev.faultline.api.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens a node accepts, each with its {@link Role}, read from a file of {@code token
 * role} lines ({@code #} starts a comment). Only SHA-256 digests of the tokens are kept, and a
 * lookup compares the presented token's digest with every entry in constant time, so neither the
 * answer's timing nor a heap dump gives a token away.
 */
public final class Tokens {

  /** The shortest token accepted: shorter ones are guessable. */
  public static final int MIN_TOKEN_CHARS = 16;

  private record Entry(byte[] digest, Role role) {}

  private final List<Entry> entries;

  private Tokens(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Reads a token file; a bad line is refused with FILE:LINE and what to write instead. */
  public static Tokens load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          "cannot read the token file " + file + " (option auth-tokens): " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + ":" + (i + 1);
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new ConfigException(
            where + ": expected 'TOKEN ROLE' (two words), found " + parts.length + " words");
      }
      Role role = Role.parse(parts[1]);
      if (role == null) {
        throw new ConfigException(
            where + ": unknown role '" + parts[1] + "': use read, write or admin");
      }
      if (parts[0].length() < MIN_TOKEN_CHARS) {
        throw new ConfigException(
            where
                + ": token shorter than "
                + MIN_TOKEN_CHARS
                + " characters: generate one with 'openssl rand -hex 32'");
      }
      entries.add(new Entry(digest(parts[0]), role));
    }
    if (entries.isEmpty()) {
      throw new ConfigException(
          "the token file "
              + file
              + " (option auth-tokens) holds no token: add 'TOKEN ROLE' lines");
    }
    return new Tokens(entries);
  }

  /** Tokens given directly, for tests and generated clusters. */
  public static Tokens of(java.util.Map<String, Role> tokens) {
    List<Entry> entries = new ArrayList<>();
    tokens.forEach((token, role) -> entries.add(new Entry(digest(token), role)));
    return new Tokens(entries);
  }

  /** The role of {@code presented}, empty when no entry matches. Visits every entry. */
  public Optional<Role> roleOf(String presented) {
    byte[] d = digest(presented);
    Role found = null;
    for (Entry e : entries) {
      // No early exit: every entry is compared whatever matched before.
      if (MessageDigest.isEqual(d, e.digest()) && found == null) {
        found = e.role();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
