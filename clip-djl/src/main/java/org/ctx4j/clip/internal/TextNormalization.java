package org.ctx4j.clip.internal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text clean-up CLIP's tokenizer applies before splitting: OpenAI's {@code basic_clean}
 * ({@code ftfy.fix_text}, HTML unescaping twice, strip) then {@code whitespace_clean} and
 * lowercasing.
 *
 * <p>ftfy is a large mojibake repair library; for well-formed text such as Visual Genome phrases
 * its effect is NFC normalisation, straight quotes for curly ones, Latin ligatures split into
 * letters and full-width ASCII forms made half-width, which is what this class does. It does not
 * repair mis-decoded text ("cafÃ©"). HTML unescaping covers numeric references and the common
 * named entities. Lowercasing uses {@link Locale#ROOT} (never the default locale: Turkish would
 * map "I" to a dotless "ı").
 */
public final class TextNormalization {
  private TextNormalization() {}

  private static final Pattern WHITESPACE =
      // Python's \s also matches the separators U+001C..U+001F, which Unicode's White_Space lacks.
      Pattern.compile("[\\s\\x1c-\\x1f]+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern CHARACTER_REFERENCE =
      Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,15});");
  private static final Map<String, String> NAMED_ENTITIES =
      Map.ofEntries(
          Map.entry("amp", "&"),
          Map.entry("lt", "<"),
          Map.entry("gt", ">"),
          Map.entry("quot", "\""),
          Map.entry("apos", "'"),
          Map.entry("nbsp", "\u00a0"),
          Map.entry("copy", "\u00a9"),
          Map.entry("reg", "\u00ae"),
          Map.entry("deg", "\u00b0"),
          Map.entry("eacute", "\u00e9"),
          Map.entry("egrave", "\u00e8"),
          Map.entry("hellip", "\u2026"),
          Map.entry("ndash", "\u2013"),
          Map.entry("mdash", "\u2014"),
          Map.entry("lsquo", "\u2018"),
          Map.entry("rsquo", "\u2019"),
          Map.entry("ldquo", "\u201c"),
          Map.entry("rdquo", "\u201d"));
  private static final Map<Character, String> LIGATURES =
      Map.of(
          '\ufb00', "ff",
          '\ufb01', "fi",
          '\ufb02', "fl",
          '\ufb03', "ffi",
          '\ufb04', "ffl",
          '\ufb05', "st",
          '\ufb06', "st");

  /** Cleans up, collapses whitespace and lowercases, as CLIP does before BPE. */
  public static String clipNormalize(String text) {
    String s = fixText(text);
    s = unescapeHtml(unescapeHtml(s)).strip();
    s = WHITESPACE.matcher(s).replaceAll(" ").strip();
    return s.toLowerCase(Locale.ROOT);
  }

  /** The part of {@code ftfy.fix_text} that matters for well-formed text (see class comment). */
  static String fixText(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String ligature = LIGATURES.get(c);
      if (ligature != null) {
        out.append(ligature);
      } else if (c == '\u2018' || c == '\u2019' || c == '\u201a' || c == '\u201b') {
        out.append('\'');
      } else if (c == '\u201c' || c == '\u201d' || c == '\u201e' || c == '\u201f') {
        out.append('"');
      } else if (c >= '\uff01' && c <= '\uff5e') {
        out.append((char) (c - 0xfee0)); // full-width ASCII to ASCII
      } else if (c == '\u3000') {
        out.append(' '); // ideographic space
      } else {
        out.append(c);
      }
    }
    return Normalizer.normalize(out, Normalizer.Form.NFC);
  }

  static String unescapeHtml(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = CHARACTER_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      String ref = m.group(1);
      String replacement;
      if (ref.charAt(0) == '#') {
        boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
        int codePoint = Integer.parseInt(ref.substring(hex ? 2 : 1), hex ? 16 : 10);
        replacement =
            Character.isValidCodePoint(codePoint)
                    && codePoint != 0
                    && !(codePoint >= 0xd800 && codePoint <= 0xdfff)
                ? new String(Character.toChars(codePoint))
                : "\ufffd";
      } else {
        replacement = NAMED_ENTITIES.getOrDefault(ref, m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
