package org.ctx4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.ctx4j.BuildSettingsException;
import org.ctx4j.OutputInUseException;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.ProgressListener;
import org.ctx4j.hdf5.CaptionDbFile;
import org.ctx4j.hdf5.VisualContextFile;
import org.ctx4j.testing.DemoData;
import org.ctx4j.testing.TinyClipModels;
import org.ctx4j.testing.TinyClipSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build knows what it was made from (model and input digests) and refuses to mix; a refused
 * start leaves the directory as it was; two builds cannot share an output directory.
 */
class BuildIdentityTest {
  @TempDir static Path dir;
  @TempDir Path out;
  private static Path data;
  private static Path otherData;
  private static Path model;
  private static Path sameNameOtherWeights;

  @BeforeAll
  static void inputs() {
    data = dir.resolve("data");
    DemoData.write(data, 6, 31);
    otherData = dir.resolve("other-data");
    DemoData.write(otherData, 7, 32);
    model = TinyClipModels.write(dir.resolve("a").resolve("clip"), TinyClipSpec.tiny(), 31);
    sameNameOtherWeights =
        TinyClipModels.write(dir.resolve("b").resolve("clip"), TinyClipSpec.tiny(), 32);
  }

  private static void build(Path data, Path model, Path out, int k, ProgressListener progress) {
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.builder(data, clip, out)
          .topK(k)
          .progress(progress)
          .build();
    }
  }

  private static void build(Path data, Path model, Path out) {
    build(data, model, out, 4, ProgressListener.none());
  }

  @Test
  void filesRecordTheModelAndInputDigests() {
    build(data, model, out);
    try (ClipModel clip = ClipModel.load(model);
        VisualContextFile vis = VisualContextFile.open(out.resolve("vis_ctx.hdf5"));
        CaptionDbFile db = CaptionDbFile.open(out.resolve("caption_db.hdf5"))) {
      assertThat(clip.contentDigest()).matches("sha256:[0-9a-f]{64}");
      assertThat(vis.attributes())
          .containsEntry("model", "clip")
          .containsEntry("model_digest", clip.contentDigest())
          .hasEntrySatisfying("images_digest", d -> assertThat(d).startsWith("6 images, sha256:"))
          .hasEntrySatisfying("numerics", n -> assertThat(n).contains("PyTorch", "threads"));
      assertThat(db.attributes())
          .containsEntry("model_digest", clip.contentDigest())
          .hasEntrySatisfying("visual_genome_digest", d -> assertThat(d).startsWith("sha256:"));
    }
  }

  @Test
  void anotherCheckpointUnderTheSameNameIsRefusedNamingTheModel() {
    build(data, model, out);
    assertThatThrownBy(() -> build(data, sameNameOtherWeights, out))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("image model clip (sha256:")
        .hasMessageContaining("text model clip (sha256:")
        .hasMessageContaining(out.toString());
  }

  @Test
  void anotherDatasetIntoAFinishedBuildIsRefusedNamingTheInputs() {
    build(data, model, out);
    assertThatThrownBy(() -> build(otherData, model, out))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("images 6 images, sha256:")
        .hasMessageContaining("(this run: 7 images, sha256:")
        .hasMessageContaining("visual genome sha256:");
  }

  @Test
  void aRefusedStartLeavesTheDirectoryAsItWasAndTheCorrectedRunWorks() throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "mine");
    Map<Path, Long> before = listing(out);
    assertThatThrownBy(() -> build(data, model, out, 5000, ProgressListener.none()))
        .isInstanceOf(BuildSettingsException.class)
        .hasMessageContaining("k (5000)");
    assertThat(listing(out)).as("refused once the captions are read, before writing").isEqualTo(before);

    build(data, model, out, 4, ProgressListener.none());
    assertThat(out.resolve("txt_ctx.hdf5")).exists();

    Path fresh = dir.resolve("fresh-" + System.nanoTime());
    build(data, model, fresh);
    Map<Path, Long> finished = listing(fresh);
    assertThatThrownBy(() -> build(data, model, fresh, 5000, ProgressListener.none()))
        .isInstanceOf(BuildSettingsException.class);
    assertThat(listing(fresh)).as("a refused rerun writes nothing").isEqualTo(finished);
  }

  @Test
  void aSecondBuildIntoTheSameDirectoryIsRefusedNamingTheHolder() {
    AtomicReference<Throwable> second = new AtomicReference<>();
    ProgressListener startSecondBuild =
        new ProgressListener() {
          @Override
          public void started(String task, long total, long alreadyDone) {
            if (second.get() == null) {
              try {
                build(data, model, out);
                second.set(new AssertionError("the second build ran"));
              } catch (RuntimeException e) {
                second.set(e);
              }
            }
          }

          @Override
          public void advanced(String task, long done) {}

          @Override
          public void finished(String task, long done) {}
        };
    build(data, model, out, 4, startSecondBuild);
    assertThat(second.get())
        .isInstanceOf(OutputInUseException.class)
        .hasMessageContaining("pid " + ProcessHandle.current().pid());
    assertThat(out.resolve(".ctx4j.lock")).as("released at the end").doesNotExist();
  }

  private static Map<Path, Long> listing(Path d) throws IOException {
    Map<Path, Long> m = new TreeMap<>();
    try (Stream<Path> s = Files.list(d)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        m.put(p, Files.size(p) ^ Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }
}
