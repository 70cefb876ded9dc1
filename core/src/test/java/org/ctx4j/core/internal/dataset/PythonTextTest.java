package org.ctx4j.core.internal.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class PythonTextTest {

  @Test
  void lowerMatchesPythonForEveryCodePointJavaKnows() throws Exception {
    // Python prints every code point whose lower() differs from itself, as hex code points.
    String python =
        ReferencePython.run(
            "import sys\n"
                + "for c in range(0x110000):\n"
                + "  if 0xd800 <= c < 0xe000: continue\n"
                + "  l = chr(c).lower()\n"
                + "  if l != chr(c): print('%x' % c, ' '.join('%x' % ord(x) for x in l))\n");
    List<String> expected = new ArrayList<>();
    for (String line : python.split("\n")) {
      int codePoint = Integer.parseInt(line.substring(0, line.indexOf(' ')), 16);
      // Unicode 14 capitals (Python 3.11) that neither Java 17 nor the original's Python 3.7 know.
      if (Character.isDefined(codePoint)) {
        expected.add(line);
      }
    }
    List<String> actual = new ArrayList<>();
    for (int c = 0; c < 0x110000; c++) {
      if (c >= 0xD800 && c < 0xE000) {
        continue;
      }
      String single = new String(Character.toChars(c));
      String lower = single.toLowerCase(Locale.ROOT);
      if (!lower.equals(single)) {
        StringBuilder line = new StringBuilder(Integer.toHexString(c)).append(' ');
        lower.codePoints().forEach(x -> line.append(Integer.toHexString(x)).append(' '));
        actual.add(line.toString().trim());
      }
    }
    assertThat(expected).hasSizeGreaterThan(1300);
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void whitespaceIsPythonsIsspace() throws Exception {
    String python =
        ReferencePython.run(
            "print(' '.join('%x' % c for c in range(0x110000) if chr(c).isspace()))");
    List<String> ours = new ArrayList<>();
    for (int c = 0; c < 0x110000; c++) {
      if (PythonText.isPythonWhitespace(c)) {
        ours.add(Integer.toHexString(c));
      }
    }
    assertThat(String.join(" ", ours)).isEqualTo(python.trim());
  }

  @Test
  void cleanWordAndSynsetMatchPythonOnTrickyStrings() throws Exception {
    List<String> inputs =
        List.of(
            "",
            "  ",
            "Dog",
            " \u0001 spotted",
            "Brown\tand\nwhite",
            "\u00a0furry\u3000",
            "\u0085wet\u2028",
            "\u200bodd\u200b",
            "\u0130NC\u0130",
            "\u039f\u0394\u039f\u03a3 \u039f\u03a3.",
            "STRASSE \u00df",
            "\u01c5ungla",
            "\ud83d\ude00Happy",
            "\u001cX\u001f",
            "a\u0000b",
            "\u1e9e",
            "\u2126",
            "K\u212a",
            " Dog.N.01 ",
            "\u0130stanbul.n.01",
            "x.\u0001y");
    ObjectMapper json = new ObjectMapper();
    String python =
        ReferencePython.run(
            "import json, sys\n"
                + "t = str.maketrans('', '', ''.join(chr(c) for c in range(32)))\n"
                + "w = lambda s: s.lower().strip().translate(t)\n"
                + "print(json.dumps([[w(s), w(s).split('.')[0]] for s in json.load(sys.stdin)]))\n",
            json.writeValueAsString(inputs));
    List<List<String>> expected =
        json.readValue(python, new TypeReference<List<List<String>>>() {});
    List<List<String>> ours = new ArrayList<>();
    for (String input : inputs) {
      ours.add(List.of(PythonText.cleanWord(input), PythonText.cleanSynset(input)));
    }
    assertThat(ours).isEqualTo(expected);
  }

  @Test
  void stripBeforeDeletingControlsKeepsInnerSpace() {
    assertThat(PythonText.cleanWord(" \u0001 Spotted ")).isEqualTo(" spotted");
  }

  @Test
  void synsetKeepsPartBeforeFirstDot() {
    assertThat(PythonText.cleanSynset(" Dog.n.01 ")).isEqualTo("dog");
    assertThat(PythonText.cleanSynset("a.b.c")).isEqualTo("a");
    assertThat(PythonText.cleanSynset("dog")).isEqualTo("dog");
    assertThat(PythonText.cleanSynset(".n.01")).isEmpty();
  }

  @Test
  void lowercasingIgnoresTurkishDefaultLocale() {
    assertThat(PythonText.cleanWord("TITLE")).isEqualTo("title");
  }
}
