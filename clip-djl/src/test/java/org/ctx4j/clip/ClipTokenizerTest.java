package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ctx4j.ClipModelException;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClipTokenizerTest {
  @TempDir Path tmp;

  private static ClipTokenizer real;

  /** Loaded once: the real vocabulary has 49,408 tokens and 48,894 merges. */
  private static synchronized ClipTokenizer realTokenizer() {
    if (real == null) {
      real = ClipTokenizer.load(SharedVocabulary.dirOrSkip());
    }
    return real;
  }

  @Test
  void encodesAPhotoOfACatAsOpenAiDoes() {
    assertThat(realTokenizer().encode("a photo of a cat"))
        .containsExactly(49406, 320, 1125, 539, 320, 2368, 49407);
  }

  @Test
  void emptyTextIsStartAndEndOnly() {
    assertThat(realTokenizer().encode("")).containsExactly(49406, 49407);
    assertThat(realTokenizer().encode(" \t\n ")).containsExactly(49406, 49407);
  }

  @Test
  void matchesReferenceTokenizerOnVisualGenomeLikePhrases() throws IOException {
    ClipTokenizer tokenizer = realTokenizer();
    JsonNode golden =
        new ObjectMapper()
            .readTree(ReferenceModels.DIR.resolve("tokenizer_golden.json").toFile());
    int checked = 0;
    for (JsonNode c : golden.get("cases")) {
      String text = c.get("text").asText();
      int[] expected = new ObjectMapper().convertValue(c.get("ids"), int[].class);
      assertThat(tokenizer.encode(text)).as("ids of \"%s\"", text).containsExactly(expected);
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(400);
  }

  @Test
  void lowercasesWithRootLocaleWhateverTheDefault() {
    // Surefire runs under tr_TR, where "I".toLowerCase() is a dotless "ı".
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      ClipTokenizer tokenizer = realTokenizer();
      assertThat(tokenizer.encode("WHITE SHIRT IN RAIN")).isEqualTo(
          tokenizer.encode("white shirt in rain"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void truncatesToContextKeepingTheEndToken() {
    ClipTokenizer tokenizer = realTokenizer();
    int[] ids = tokenizer.encode("dog ".repeat(200));
    assertThat(ids).hasSize(77);
    assertThat(ids[0]).isEqualTo(49406);
    assertThat(ids[76]).isEqualTo(49407);
    assertThat(ids[75]).isEqualTo(tokenizer.encode("dog")[1]);
  }

  @Test
  void exactlyFullContextIsNotCut() {
    ClipTokenizer tokenizer = realTokenizer();
    assertThat(tokenizer.encode("dog ".repeat(75))).hasSize(77).endsWith(49407);
    assertThat(tokenizer.encode("dog ".repeat(76))).hasSize(77).endsWith(49407);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void tokenizerJsonGivesTheSameIdsAsVocabAndMerges(boolean pairMerges) throws IOException {
    Path vocabDir = SharedVocabulary.dirOrSkip();
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.set("vocab", mapper.readTree(vocabDir.resolve("vocab.json").toFile()));
    ArrayNode merges = model.putArray("merges");
    for (String line : Files.readAllLines(vocabDir.resolve("merges.txt"), StandardCharsets.UTF_8)) {
      if (line.startsWith("#version") || line.isBlank()) {
        continue;
      }
      if (pairMerges) {
        String[] parts = line.split(" ");
        merges.addArray().add(parts[0]).add(parts[1]);
      } else {
        merges.add(line);
      }
    }
    Path dir = Files.createDirectories(tmp.resolve("fast"));
    mapper.writeValue(dir.resolve("tokenizer.json").toFile(), root);
    ClipTokenizer fromJson = ClipTokenizer.load(dir);
    ClipTokenizer fromFiles = realTokenizer();
    for (String text : List.of("a photo of a cat", "Man's T-shirt, 2 dogs!", "naïve café ﬁsh")) {
      assertThat(fromJson.encode(text)).isEqualTo(fromFiles.encode(text));
    }
  }

  @Test
  void generatedVocabularyTokenizesAnyText() {
    Path dir = TinyClipModels.write(tmp.resolve("tiny"), TinyClipSpec.tiny(), 1);
    ClipTokenizer tokenizer = ClipTokenizer.load(dir);
    int[] ids = tokenizer.encode("White cat, 日本 🙂!");
    assertThat(ids[0]).isEqualTo(tokenizer.startId());
    assertThat(ids[ids.length - 1]).isEqualTo(tokenizer.endId());
    assertThat(tokenizer.encode("cat")).hasSize(3); // "cat</w>" is one merged symbol
  }

  @Test
  void rejectsDirectoryWithoutTokenizerFiles() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> ClipTokenizer.load(empty))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("vocab.json and merges.txt, or tokenizer.json")
        .hasMessageContaining(empty.toString());
  }

  @Test
  void rejectsVocabularyWithoutSpecialTokens() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("nospecial"));
    new ObjectMapper().writeValue(dir.resolve("vocab.json").toFile(), Map.of("a</w>", 0));
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
    assertThatThrownBy(() -> ClipTokenizer.load(dir))
        .isInstanceOf(ClipModelException.class)
        .hasMessageContaining("<|startoftext|>");
  }
}
