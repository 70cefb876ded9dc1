package org.ctx4j.clip;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.base.Preconditions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ctx4j.ClipModelException;
import org.ctx4j.clip.internal.BytePairEncoder;
import org.ctx4j.clip.internal.TextNormalization;

/**
 * CLIP's tokenizer: text clean-up and lowercasing ({@link java.util.Locale#ROOT}), byte-level BPE
 * on the model's vocabulary, start and end tokens, and a context of 77 tokens. A longer text is cut
 * to the context keeping the end token last, CLIP's own rule; {@link #withLongTexts} gives the
 * original Xmodal-Ctx's rule instead (see {@link ClipOptions.LongTexts}). Visual Genome phrases
 * are far shorter. Thread-safe.
 *
 * <p>"a photo of a cat" gives {@code [49406, 320, 1125, 539, 320, 2368, 49407]} on the real CLIP
 * vocabulary.
 */
public final class ClipTokenizer {

  /** CLIP's context length (the text tower's position embeddings). */
  public static final int DEFAULT_CONTEXT_LENGTH = 77;

  private static final String START = "<|startoftext|>";
  private static final String END = "<|endoftext|>";

  private final BytePairEncoder bpe;
  private final int startId;
  private final int endId;
  private final int contextLength;
  private final ClipOptions.LongTexts longTexts;

  private ClipTokenizer(BytePairEncoder bpe, int contextLength, Path source) {
    this(bpe, contextLength, source, ClipOptions.LongTexts.KEEP_END_TOKEN);
  }

  private ClipTokenizer(
      BytePairEncoder bpe, int contextLength, Path source, ClipOptions.LongTexts longTexts) {
    this.bpe = bpe;
    this.startId = bpe.idOf(START);
    this.endId = bpe.idOf(END);
    if (startId < 0 || endId < 0) {
      throw new ClipModelException(
          source, startId < 0 ? START : END, "the vocabulary lacks CLIP's special token");
    }
    this.contextLength = contextLength;
    this.longTexts = longTexts;
  }

  /**
   * Loads the tokenizer of a HuggingFace model directory: {@code vocab.json} + {@code merges.txt}
   * when present, otherwise {@code tokenizer.json}. The context length is {@code
   * tokenizer_config.json}'s {@code model_max_length} when it is a sensible number, else 77.
   */
  public static ClipTokenizer load(Path modelDir) {
    Preconditions.checkArgument(
        Files.isDirectory(modelDir), "not a model directory: %s", modelDir);
    int context = readContextLength(modelDir.resolve("tokenizer_config.json"));
    Path vocabFile = modelDir.resolve("vocab.json");
    Path mergesFile = modelDir.resolve("merges.txt");
    if (Files.isRegularFile(vocabFile) && Files.isRegularFile(mergesFile)) {
      return fromVocabAndMerges(vocabFile, mergesFile, context);
    }
    Path tokenizerJson = modelDir.resolve("tokenizer.json");
    if (Files.isRegularFile(tokenizerJson)) {
      return fromTokenizerJson(tokenizerJson, context);
    }
    throw new ClipModelException(
        modelDir, null, "no tokenizer: expected vocab.json and merges.txt, or tokenizer.json");
  }

  /** Loads HuggingFace's {@code CLIPTokenizer} files. */
  public static ClipTokenizer fromVocabAndMerges(Path vocabJson, Path mergesTxt, int context) {
    checkContext(context);
    Map<String, Integer> vocab;
    try {
      vocab = new ObjectMapper().readValue(vocabJson.toFile(), new TypeReference<>() {});
    } catch (IOException e) {
      throw new ClipModelException(vocabJson, null, "cannot read vocabulary: " + e, e);
    }
    List<String> merges = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(mergesTxt, StandardCharsets.UTF_8)) {
        if (line.startsWith("#version") || line.isBlank()) {
          continue;
        }
        merges.add(line);
      }
    } catch (IOException e) {
      throw new ClipModelException(mergesTxt, null, "cannot read merges: " + e, e);
    }
    return new ClipTokenizer(
        new BytePairEncoder(vocab, merges, vocabJson.toString()), context, vocabJson);
  }

  /** Loads a HuggingFace fast-tokenizer file ({@code model.vocab} and {@code model.merges}). */
  public static ClipTokenizer fromTokenizerJson(Path tokenizerJson, int context) {
    checkContext(context);
    JsonNode model;
    try {
      model = new ObjectMapper().readTree(tokenizerJson.toFile()).path("model");
    } catch (IOException e) {
      throw new ClipModelException(tokenizerJson, null, "cannot read tokenizer: " + e, e);
    }
    JsonNode vocabNode = model.path("vocab");
    JsonNode mergesNode = model.path("merges");
    if (!vocabNode.isObject() || !mergesNode.isArray()) {
      throw new ClipModelException(
          tokenizerJson, "model", "expected a BPE model with a vocab object and a merges array");
    }
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
      vocab.put(e.getKey(), e.getValue().asInt());
    }
    List<String> merges = new ArrayList<>(mergesNode.size());
    for (JsonNode merge : mergesNode) {
      // Older files store "left right", newer ones ["left", "right"].
      merges.add(
          merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText());
    }
    return new ClipTokenizer(
        new BytePairEncoder(vocab, merges, tokenizerJson.toString()), context, tokenizerJson);
  }

  private static void checkContext(int context) {
    Preconditions.checkArgument(context >= 2, "context length (%s) must be >= 2", context);
  }

  private static int readContextLength(Path tokenizerConfig) {
    if (!Files.isRegularFile(tokenizerConfig)) {
      return DEFAULT_CONTEXT_LENGTH;
    }
    try {
      JsonNode max = new ObjectMapper().readTree(tokenizerConfig.toFile()).get("model_max_length");
      // Some files carry a huge sentinel meaning "no limit": CLIP's limit is then the default.
      if (max != null && max.canConvertToInt() && max.intValue() >= 2 && max.intValue() <= 4096) {
        return max.intValue();
      }
      return DEFAULT_CONTEXT_LENGTH;
    } catch (IOException e) {
      throw new ClipModelException(tokenizerConfig, null, "cannot read tokenizer config: " + e, e);
    }
  }

  /**
   * Token ids of {@code text}: start token, the BPE ids, end token; at most {@link
   * #contextLength()} ids, the end token always last. Under {@link
   * ClipOptions.LongTexts#AS_XMODAL_CTX} a long text gives instead the ids up to the position the
   * original pooled at (see there); the text tower pools at the last id either way.
   */
  public int[] encode(String text) {
    Preconditions.checkNotNull(text, "text");
    List<Integer> ids = new ArrayList<>(16);
    ids.add(startId);
    bpe.encode(TextNormalization.clipNormalize(text), ids);
    if (longTexts == ClipOptions.LongTexts.AS_XMODAL_CTX) {
      return asXmodalCtx(ids);
    }
    int length = Math.min(ids.size() + 1, contextLength);
    int[] out = new int[length];
    for (int i = 0; i < length - 1; i++) {
      out[i] = ids.get(i);
    }
    out[length - 1] = endId;
    return out;
  }

  /**
   * The original's rule (ctx/dataset.py, {@code collate_tokens} with {@code LENGTH_LIMIT = 75} for
   * CLIP's 77 positions, here context - 2): a sequence of fewer ids than the limit is kept; a
   * longer one keeps its first {@code limit} ids, so the end token is lost. HF's CLIP text model
   * pools at {@code argmax(input_ids)}, the first highest id: without the end token, the start
   * token at position 0 (so every such text got the same feature). Attention is causal, so the
   * state at that position depends on no later id: the ids up to it, pooled at their last, give
   * exactly the original's output.
   */
  private int[] asXmodalCtx(List<Integer> startAndBpeIds) {
    List<Integer> ids = new ArrayList<>(startAndBpeIds);
    ids.add(endId);
    int limit = contextLength - 2;
    if (ids.size() > limit) {
      ids = ids.subList(0, limit);
    }
    int pooledAt = 0;
    for (int i = 1; i < ids.size(); i++) {
      if (ids.get(i) > ids.get(pooledAt)) {
        pooledAt = i;
      }
    }
    return ids.subList(0, pooledAt + 1).stream().mapToInt(Integer::intValue).toArray();
  }

  /** The same vocabulary with a shorter context (a model with fewer text positions). */
  ClipTokenizer withContextLength(int context) {
    checkContext(context);
    return new ClipTokenizer(bpe, context, null, longTexts);
  }

  /**
   * The same tokenizer with another rule for texts longer than the context.
   *
   * @see ClipOptions.LongTexts
   */
  public ClipTokenizer withLongTexts(ClipOptions.LongTexts rule) {
    Preconditions.checkNotNull(rule, "rule");
    return rule == longTexts ? this : new ClipTokenizer(bpe, contextLength, null, rule);
  }

  /** The rule for texts longer than the context. */
  public ClipOptions.LongTexts longTexts() {
    return longTexts;
  }

  /** The most ids {@link #encode} returns (77 for CLIP). */
  public int contextLength() {
    return contextLength;
  }

  /** Id of {@code <|startoftext|>} (49406 in CLIP's vocabulary). */
  public int startId() {
    return startId;
  }

  /** Id of {@code <|endoftext|>} (49407), which HF also pads batches with (ctx4j packs them). */
  public int endId() {
    return endId;
  }
}
