package org.ctx4j.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HuggingFace's own tokenizers library (Rust, through DJL) as a second, independent oracle for
 * {@link ClipTokenizer} on the real CLIP vocabulary: the same pipeline HF's CLIPTokenizerFast
 * runs (NFC, whitespace runs to one space, lowercase; CLIP's split pattern; byte-level BPE with
 * {@code </w>} word ends; start and end token), built here from {@code vocab.json} and {@code
 * merges.txt}. HF's fast tokenizer has no ftfy/HTML clean-up, so texts those would change are left
 * to the reference-script goldens ({@code tokenizer_golden.json}).
 */
class HuggingFaceTokenizersOracleTest {
  @TempDir Path tmp;

  /** CLIP's pre-tokenisation pattern, as HF's tokenizer.json for openai/clip-vit-base-patch32. */
  private static final String SPLIT =
      "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]"
          + "|[^\\s\\p{L}\\p{N}]+";

  private static Path writeTokenizerJson(Path vocabDir, Path dir) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode vocab = json.readTree(vocabDir.resolve("vocab.json").toFile());
    ObjectNode root = json.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String special : List.of("<|startoftext|>", "<|endoftext|>")) {
      added.addObject()
          .put("id", vocab.get(special).asInt())
          .put("content", special)
          .put("single_word", false)
          .put("lstrip", false)
          .put("rstrip", false)
          .put("normalized", true)
          .put("special", true);
    }
    ArrayNode normalizers =
        root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
    normalizers.addObject().put("type", "NFC");
    ObjectNode replace = normalizers.addObject().put("type", "Replace").put("content", " ");
    replace.putObject("pattern").put("Regex", "\\s+");
    normalizers.addObject().put("type", "Lowercase");
    ArrayNode pre = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
    ObjectNode split = pre.addObject().put("type", "Split");
    split.putObject("pattern").put("Regex", SPLIT);
    split.put("behavior", "Removed").put("invert", true);
    pre.addObject()
        .put("type", "ByteLevel")
        .put("add_prefix_space", false)
        .put("trim_offsets", true)
        .put("use_regex", false);
    ObjectNode post = root.putObject("post_processor").put("type", "RobertaProcessing");
    post.putArray("sep").add("<|endoftext|>").add(vocab.get("<|endoftext|>").asInt());
    post.putArray("cls").add("<|startoftext|>").add(vocab.get("<|startoftext|>").asInt());
    post.put("trim_offsets", false).put("add_prefix_space", false);
    root.putObject("decoder")
        .put("type", "ByteLevel")
        .put("add_prefix_space", true)
        .put("trim_offsets", true)
        .put("use_regex", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE").putNull("dropout");
    model.put("unk_token", "<|endoftext|>");
    model.put("continuing_subword_prefix", "");
    model.put("end_of_word_suffix", "</w>");
    model.put("fuse_unk", false);
    model.set("vocab", vocab);
    ArrayNode merges = model.putArray("merges");
    for (String line : Files.readAllLines(vocabDir.resolve("merges.txt"), StandardCharsets.UTF_8)) {
      if (!line.startsWith("#version") && !line.isBlank()) {
        merges.add(line);
      }
    }
    Files.createDirectories(dir);
    json.writeValue(dir.resolve("tokenizer.json").toFile(), root);
    return dir;
  }

  /** Texts the ftfy/HTML clean-up of the original leaves as they are (HF's fast tokenizer has none). */
  private static boolean cleanUpIsANoOp(String text) {
    return Normalizer.normalize(text, Normalizer.Form.NFKC).equals(text)
        && text.chars().noneMatch(c -> c == '&' || c == '\u2018' || c == '\u2019'
            || c == '\u201c' || c == '\u201d');
  }

  private static List<String> texts() throws IOException {
    List<String> texts = new ArrayList<>();
    JsonNode golden =
        new ObjectMapper().readTree(ReferenceModels.DIR.resolve("tokenizer_golden.json").toFile());
    golden.get("cases").forEach(c -> texts.add(c.get("text").asText()));
    // Visual Genome-style phrases from a fixed seed: attribute + object, and relationships.
    String[] words = {"white", "man", "riding", "horse", "on", "top", "of", "snowy", "mountain's",
        "T-shirt", "2", "10,000", "café", "naïve", "über", "straße", "日本", "🙂", "don't", "it's",
        "traffic", "light", "next", "to", "red", "double-decker", "bus", "x", "Ωmega", "e-mail"};
    SplittableRandom random = new SplittableRandom(20261203L);
    for (int i = 0; i < 2000; i++) {
      StringBuilder b = new StringBuilder();
      int n = 1 + random.nextInt(6);
      for (int w = 0; w < n; w++) {
        b.append(w == 0 ? "" : random.nextInt(10) == 0 ? "  " : " ");
        String word = words[random.nextInt(words.length)];
        b.append(random.nextInt(8) == 0 ? word.toUpperCase(java.util.Locale.ROOT) : word);
      }
      texts.add(b.toString());
    }
    return texts;
  }

  @Test
  void idsEqualHuggingFaceTokenizersOnTheRealVocabulary() throws IOException {
    Path vocabDir = SharedVocabulary.dirOrSkip();
    ClipTokenizer ours = ClipTokenizer.load(vocabDir);
    Path hfDir = writeTokenizerJson(vocabDir, tmp.resolve("hf"));
    int compared = 0;
    try (HuggingFaceTokenizer hf =
        HuggingFaceTokenizer.newInstance(hfDir, Map.of("addSpecialTokens", "true"))) {
      assertThat(Arrays.stream(hf.encode("a photo of a cat").getIds()).mapToInt(l -> (int) l))
          .containsExactly(49406, 320, 1125, 539, 320, 2368, 49407);
      for (String text : texts()) {
        if (!cleanUpIsANoOp(text)) {
          continue;
        }
        Encoding e = hf.encode(text);
        int[] expected = Arrays.stream(e.getIds()).mapToInt(l -> (int) l).toArray();
        if (expected.length > ours.contextLength()) {
          continue; // HF was not asked to truncate; truncation is pinned by ClipTokenizerTest
        }
        assertThat(ours.encode(text)).as("ids of \"%s\"", text).containsExactly(expected);
        compared++;
      }
    }
    assertThat(compared).as("texts compared").isGreaterThan(2000);
  }
}
