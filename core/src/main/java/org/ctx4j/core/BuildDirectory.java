package org.ctx4j.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.ctx4j.Ctx4jException;
import org.ctx4j.hdf5.PartialFileProgress;

/**
 * What a build's output directory holds, read without changing it: the settings each build part
 * (the whole build, or each shard) was made with, the stages it finished, and every output file
 * with how far it got, finished or still {@code .partial}. For reports, for {@code ctx4j inspect},
 * and for deciding before a rerun what it will resume.
 *
 * <pre>{@code
 * BuildDirectory out = BuildDirectory.read(Path.of("ctx4j-out"));
 * for (BuildDirectory.OutputFile f : out.files()) {
 *   System.out.println(f.path() + (f.finished() ? " done, " : " partial, ") + f.count());
 * }
 * }</pre>
 */
public final class BuildDirectory {
  private static final Pattern NAME =
      Pattern.compile(
          "(caption_db|vis_ctx|txt_ctx)(?:\\.shard-(\\d+)-of-(\\d+))?\\.hdf5(\\.partial)?");
  private static final Pattern MANIFEST_NAME =
      Pattern.compile("ctx4j-build(?:\\.shard-(\\d+)-of-(\\d+))?\\.json");

  private final Path dir;
  private final List<Part> parts;
  private final List<OutputFile> files;

  private BuildDirectory(Path dir, List<Part> parts, List<OutputFile> files) {
    this.dir = dir;
    this.parts = List.copyOf(parts);
    this.files = List.copyOf(files);
  }

  /**
   * One build part: the whole build, or one shard of it, as its manifest records it.
   *
   * @param shard {@code "i/n"} for a shard, empty for the whole build
   * @param manifest the part's {@code ctx4j-build*.json}
   * @param settings what the part was made with (model and data digests, crops, k, numerics…)
   * @param done the stages it finished
   */
  public record Part(
      Optional<String> shard, Path manifest, Map<String, String> settings, Set<Stage> done) {}

  /**
   * One output file of a build.
   *
   * @param path the file; for an unfinished one, its {@code .partial} file
   * @param stage the stage that writes it
   * @param shard {@code "i/n"} for a shard's file, empty otherwise
   * @param finished whether the file is final (else a rerun resumes it)
   * @param count captions in a caption db; images in a visual or textual context, for an
   *     unfinished one the images its journal records as complete (those a rerun keeps)
   */
  public record OutputFile(
      Path path, Stage stage, Optional<String> shard, boolean finished, int count) {}

  /**
   * Reads what {@code dir} holds.
   *
   * @throws Ctx4jException if {@code dir} is not a directory, or a manifest or output file in it
   *     cannot be read (the message names the file)
   */
  public static BuildDirectory read(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new Ctx4jException("not a directory: " + dir);
    }
    List<Path> names;
    try (Stream<Path> list = Files.list(dir)) {
      names = list.sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    List<Part> parts = new ArrayList<>();
    List<OutputFile> files = new ArrayList<>();
    for (Path p : names) {
      String name = p.getFileName().toString();
      Matcher m = MANIFEST_NAME.matcher(name);
      if (m.matches()) {
        BuildManifest manifest = BuildManifest.load(p);
        Set<Stage> done = Set.copyOf(
            Stream.of(Stage.values()).filter(manifest::isDone).toList());
        parts.add(new Part(shardOf(m, 1), p, Map.copyOf(manifest.settings()), done));
        continue;
      }
      m = NAME.matcher(name);
      if (m.matches()) {
        files.add(outputFile(p, m));
      }
    }
    return new BuildDirectory(dir, parts, files);
  }

  private static OutputFile outputFile(Path path, Matcher m) {
    Stage stage =
        switch (m.group(1)) {
          case "caption_db" -> Stage.CAPTION_DB;
          case "vis_ctx" -> Stage.VISUAL;
          default -> Stage.TEXTUAL;
        };
    Optional<String> shard = shardOf(m, 2);
    if (m.group(4) != null) {
      Path finalName = path.resolveSibling(path.getFileName().toString().replace(".partial", ""));
      int complete = PartialFileProgress.of(finalName).map(PartialFileProgress::completeImages).orElse(0);
      return new OutputFile(path, stage, shard, false, complete);
    }
    int count =
        switch (stage) {
          case CAPTION_DB -> {
            try (CaptionDb db = CaptionDb.open(path)) {
              yield db.size();
            }
          }
          case VISUAL -> {
            try (VisualContext vis = VisualContext.open(path)) {
              yield vis.ids().length;
            }
          }
          case TEXTUAL -> {
            try (TextualContext txt = TextualContext.open(path)) {
              yield txt.ids().length;
            }
          }
        };
    return new OutputFile(path, stage, shard, true, count);
  }

  private static Optional<String> shardOf(Matcher m, int group) {
    return m.group(group) == null
        ? Optional.empty()
        : Optional.of(m.group(group) + "/" + m.group(group + 1));
  }

  /** The directory read. */
  public Path dir() {
    return dir;
  }

  /** The build parts with a manifest here, whole build first, then shards by file name. */
  public List<Part> parts() {
    return parts;
  }

  /** The output files here, finished and {@code .partial}, by file name. */
  public List<OutputFile> files() {
    return files;
  }

  /** The finished file of {@code stage} for the whole build, if there is one. */
  public Optional<Path> finished(Stage stage) {
    return files.stream()
        .filter(f -> f.stage() == stage && f.finished() && f.shard().isEmpty())
        .map(OutputFile::path)
        .findFirst();
  }
}
