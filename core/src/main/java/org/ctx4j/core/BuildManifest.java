package org.ctx4j.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.Ctx4jException;

/**
 * The JSON file beside the outputs that records the settings a build was made with and the stages
 * it finished. A rerun compares its settings with it: a setting both runs define must be equal
 * (else the run is refused rather than mixing results); finished stages are not redone. Written
 * atomically (temp file + rename), after the stage's files are final.
 */
final class BuildManifest {
  static final String FORMAT = "ctx4j-build/1";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final Map<String, String> settings;
  private final Set<Stage> done;

  private BuildManifest(Path file, Map<String, String> settings, Set<Stage> done) {
    this.file = file;
    this.settings = settings;
    this.done = done;
  }

  /** Reads the manifest at {@code file}, or an empty one when there is none. */
  public static BuildManifest load(Path file) {
    if (!Files.exists(file)) {
      return new BuildManifest(file, new TreeMap<>(), EnumSet.noneOf(Stage.class));
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new Ctx4jException(
            "not a ctx4j build manifest (format " + FORMAT + "): " + file);
      }
      Map<String, String> settings = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : root.path("settings").properties()) {
        settings.put(e.getKey(), e.getValue().asText());
      }
      Set<Stage> done = EnumSet.noneOf(Stage.class);
      for (JsonNode stage : root.path("done")) {
        done.add(Stage.valueOf(stage.asText()));
      }
      return new BuildManifest(file, settings, done);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Ctx4jException("corrupt build manifest " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read build manifest " + file, e);
    }
  }

  public boolean isDone(Stage stage) {
    return done.contains(stage);
  }

  public Map<String, String> settings() {
    return settings;
  }

  /**
   * Refuses {@code requested} settings that differ from ones recorded for the stages done so far
   * (the message lists every difference); otherwise adds the new ones.
   */
  public void checkAndMerge(Map<String, String> requested) {
    check(requested);
    settings.putAll(requested);
  }

  /**
   * Refuses {@code requested} settings that differ from recorded ones, listing every difference;
   * records nothing (a refused or not yet started run leaves the manifest as it was).
   */
  public void check(Map<String, String> requested) {
    List<String> differences = new ArrayList<>();
    requested.forEach(
        (key, value) -> {
          String recorded = settings.get(key);
          if (recorded != null && !recorded.equals(value)) {
            differences.add(key + " " + recorded + " (this run: " + value + ")");
          }
        });
    if (!differences.isEmpty()) {
      throw new BuildSettingsException(
          "the output directory "
              + file.getParent()
              + " holds a build made with other settings: "
              + String.join(", ", differences)
              + "; use another output directory, or delete the old files to start over");
    }
  }

  /** Records {@code stage} as finished and saves the manifest. */
  public void markDone(Stage stage) {
    done.add(stage);
    save();
  }

  /** Saves the manifest (settings and finished stages). */
  public void save() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode s = root.putObject("settings");
    settings.forEach(s::put);
    ArrayNode doneArray = root.putArray("done");
    done.forEach(stage -> doneArray.add(stage.name()));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      if (Files.exists(file) && JSON.readTree(file.toFile()).equals(root)) {
        return; // unchanged: a rerun on a full disk must get as far as the writers' own error
      }
      JSON.writeValue(tmp.toFile(), root);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write build manifest " + file, e);
    }
  }
}
