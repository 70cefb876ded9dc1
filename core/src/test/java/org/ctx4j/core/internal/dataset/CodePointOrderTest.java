package org.ctx4j.core.internal.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CodePointOrderTest {

  @Test
  void supplementaryCharactersSortAfterPrivateUseAndFullwidth() {
    List<String> words = new ArrayList<>(List.of("\ud83d\ude00", "\uff41", "\ue000", "z", ""));
    words.sort(CodePointOrder.INSTANCE);
    assertThat(words).containsExactly("", "z", "\ue000", "\uff41", "\ud83d\ude00");
  }

  @Test
  void prefixSortsFirst() {
    assertThat(CodePointOrder.INSTANCE.compare("red", "red car")).isNegative();
    assertThat(CodePointOrder.INSTANCE.compare("red car", "red")).isPositive();
    assertThat(CodePointOrder.INSTANCE.compare("red", "red")).isZero();
  }

  @Test
  void matchesNumpySortOnRandomStrings() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    char[] alphabet = {
      'a', 'b', ' ', '\u00e9', '\ud7ff', '\ue000', '\uffff', '\ud800', '\udc00', '\udbff', '\udfff'
    };
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      StringBuilder word = new StringBuilder();
      int length = random.nextInt(5);
      for (int j = 0; j < length; j++) {
        word.append(alphabet[random.nextInt(alphabet.length)]);
      }
      words.add(word.toString());
    }
    ObjectMapper json = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    // Lone surrogates travel as JSON escapes; numpy sorts UCS4 code units, i.e. code points.
    String python =
        ReferencePython.run(
            "import json, sys, numpy as np\n"
                + "print(json.dumps(np.unique(json.load(sys.stdin)).tolist()))",
            json.writeValueAsString(words));
    List<String> expected = json.readValue(python, new TypeReference<List<String>>() {});
    TreeSet<String> sorted = new TreeSet<>(CodePointOrder.INSTANCE);
    sorted.addAll(words);
    List<String> ours = new ArrayList<>(sorted);
    assertThat(escaped(ours)).as("seed %d", seed).isEqualTo(escaped(expected));
  }

  private static List<String> escaped(List<String> words) {
    List<String> escaped = new ArrayList<>();
    for (String word : words) {
      StringBuilder out = new StringBuilder();
      for (char c : word.toCharArray()) {
        out.append(c < 0x80 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
      }
      escaped.add(out.toString());
    }
    return escaped;
  }
}
