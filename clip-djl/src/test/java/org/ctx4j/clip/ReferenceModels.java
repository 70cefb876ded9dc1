package org.ctx4j.clip;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;

/**
 * The tiny models committed under {@code src/test/resources/reference/} for {@code
 * clip_reference.py}. To regenerate after a deliberate generator change: run {@link #main} from
 * the module directory, then the Python script (see its docstring), and commit both.
 */
final class ReferenceModels {
  private ReferenceModels() {}

  static final Path DIR = Paths.get("src/test/resources/reference");

  /** Name to (spec, seed). */
  static final Map<String, Map.Entry<TinyClipSpec, Long>> MODELS =
      Map.of(
          "tiny-f32-quickgelu", Map.entry(TinyClipSpec.tiny(), 42L),
          "tiny-f16-gelu",
          Map.entry(TinyClipSpec.tiny().withWeightType("F16").withHiddenAct("gelu"), 7L));

  static Path dir(String name) {
    return DIR.resolve(name);
  }

  public static void main(String[] args) throws Exception {
    for (Map.Entry<String, Map.Entry<TinyClipSpec, Long>> e : MODELS.entrySet()) {
      Path dir = Files.createDirectories(dir(e.getKey()));
      TinyClipModels.write(dir, e.getValue().getKey(), e.getValue().getValue());
      System.out.println("wrote " + dir);
    }
  }
}
