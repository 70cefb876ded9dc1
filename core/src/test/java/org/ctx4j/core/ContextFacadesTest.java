package org.ctx4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.ctx4j.ContextQueryException;
import org.ctx4j.Hdf5FormatException;
import org.ctx4j.UnknownImageException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user-facing readers on files written by h5py the way the original code writes them; the
 * expected values are what h5py prints for the seed README's snippets on the same files.
 */
class ContextFacadesTest {
  private static final String PYTHON = "/usr/bin/python3";

  @TempDir static Path dir;

  @BeforeAll
  static void writeFilesWithH5py() {
    py("""
        import h5py, numpy as np
        rng = np.random.RandomState(3)
        texts = ["white dog", "man riding horse", "café table", "red bus", "green tree", "sky"]
        feats = rng.standard_normal((len(texts), 8)).astype(np.float32)
        with h5py.File("txt_ctx.hdf5", "a") as f:
            for img in (531912, 7):
                g1 = f.create_group(str(img))
                for name, n in (("whole", 1), ("five", 5), ("nine", 9)):
                    idx = np.stack([rng.permutation(len(texts))[:5] for _ in range(n)])
                    sc = -np.sort(-rng.random((n, 5)).astype(np.float32), axis=1)
                    g = g1.create_group(name)
                    if name == "whole":
                        idx, sc = idx[0], sc[0]
                    g.create_dataset("features", data=feats[idx])
                    g.create_dataset("scores", data=sc)
                    g.create_dataset("texts", data=[[texts[j] for j in r] for r in idx] if idx.ndim == 2 else [texts[j] for j in idx])
        with h5py.File("vis_ctx.hdf5", "a") as f:
            f.attrs["fdim"] = 768
            for img in (531912, 7):
                f.create_dataset(str(img), data=rng.standard_normal(768).astype(np.float32))
        """);
  }

  @Test
  void topKReturnsWhatTheSeedReadmeSnippetReturns() {
    List<String> h5py = py("""
        import h5py
        img_id, top_k, crop_n = 531912, 4, 2
        with h5py.File("txt_ctx.hdf5", "r") as f:
            features = f[f"{img_id}/five/features"][crop_n, :top_k]
            scores = f[f"{img_id}/five/scores"][crop_n, :top_k]
            texts = f[f"{img_id}/five/texts"][crop_n, :top_k]
        print("|".join(str(t, "utf-8") for t in texts))
        print(" ".join(repr(float(s)) for s in scores))
        print(" ".join(repr(float(x)) for x in features.flatten()))
        print(features.shape)
        """);
    try (TextualContext txt = TextualContext.open(dir.resolve("txt_ctx.hdf5"))) {
      TopKTexts top = txt.topK(531912, "five", 2, 4);
      assertThat(String.join("|", top.texts())).isEqualTo(h5py.get(0));
      assertThat(top.scores()).containsExactly(parse(h5py.get(1)));
      float[] flat = new float[4 * 8];
      for (int i = 0; i < 4; i++) {
        System.arraycopy(top.features()[i], 0, flat, i * 8, 8);
      }
      assertThat(flat).containsExactly(parse(h5py.get(2)));
      assertThat(h5py.get(3)).isEqualTo("(4, 8)");
      assertThat(txt.k()).isEqualTo(5);
      assertThat(txt.k("nine")).isEqualTo(5);
      assertThat(txt.dim()).isEqualTo(8);
      assertThat(txt.ids()).containsExactly(7, 531912);
    }
  }

  @Test
  void featuresReturnWhatH5pyReturns() {
    List<String> h5py = py("""
        import h5py
        with h5py.File("vis_ctx.hdf5", "r") as f:
            feat_img = f[str(531912)][:]
        print(" ".join(repr(float(x)) for x in feat_img))
        """);
    try (VisualContext vis = VisualContext.open(dir.resolve("vis_ctx.hdf5"))) {
      assertThat(vis.dim()).isEqualTo(768);
      assertThat(vis.ids()).containsExactly(7, 531912);
      assertThat(vis.features(531912)).containsExactly(parse(h5py.get(0)));
    }
  }

  @Test
  void errorsNameTheFileAndTheValue() {
    Path txtFile = dir.resolve("txt_ctx.hdf5");
    try (TextualContext txt = TextualContext.open(txtFile)) {
      assertThatThrownBy(() -> txt.topK(1, "five", 0, 1))
          .isInstanceOf(UnknownImageException.class).hasMessageContaining("1 in " + txtFile);
      assertThatThrownBy(() -> txt.topK(7, "ten", 0, 1))
          .isInstanceOf(ContextQueryException.class).hasMessageContaining("whole, five, nine");
      assertThatThrownBy(() -> txt.k("ten")).isInstanceOf(ContextQueryException.class);
      assertThatThrownBy(() -> txt.topK(7, "whole", 1, 1))
          .isInstanceOf(ContextQueryException.class).hasMessageContaining("[0, 0]");
      assertThatThrownBy(() -> txt.topK(7, "nine", 0, 6))
          .isInstanceOf(ContextQueryException.class).hasMessageContaining("k (6) > stored k (5)");
    }
    assertThatThrownBy(() -> VisualContext.open(txtFile)).isInstanceOf(Hdf5FormatException.class);
    assertThatThrownBy(() -> TextualContext.open(dir.resolve("vis_ctx.hdf5")))
        .isInstanceOf(Hdf5FormatException.class);
  }

  private static float[] parse(String line) {
    String[] parts = line.trim().split(" ");
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (float) Double.parseDouble(parts[i]);
    }
    return out;
  }

  /** Runs Python code with Debian's h5py in the temp dir; its stdout lines. */
  private static List<String> py(String code) {
    assertThat(Path.of(PYTHON)).as("tests need Debian's python3-h5py").exists();
    try {
      Path script = Files.writeString(Files.createTempFile(dir, "snippet", ".py"), code);
      Process p = new ProcessBuilder(PYTHON, script.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as("python failed:%n%s", out).isZero();
      return new ArrayList<>(out.lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
