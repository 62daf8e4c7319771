package dev.faultline.checker.report;

/**
 * Escaping for text placed in HTML element content and double-quoted attributes, shared by every
 * page.
 */
public final class Html {
  private Html() {}

  /** Returns {@code s} with {@code & < > "} replaced by their entities. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
