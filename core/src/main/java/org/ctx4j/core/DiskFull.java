package org.ctx4j.core;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.ctx4j.Hdf5WriteException;
import org.ctx4j.OutOfDiskSpaceException;
import org.ctx4j.hdf5.TextualContextWriter;
import org.ctx4j.hdf5.TextualLayout;
import org.ctx4j.hdf5.VisualContextWriter;

/**
 * Turns a failure caused by a full disk (ENOSPC, or an exceeded quota), wherever in a build it
 * surfaced and however it was wrapped, into one {@link OutOfDiskSpaceException} that says which
 * file, how much space the remaining work needs, and that a rerun resumes.
 *
 * <p>Detection goes by the operating system's message, the only portable signal Java gives:
 * {@code FileChannel.write} throws a plain {@code IOException("No space left on device")}.
 */
final class DiskFull {
  /** The OS messages of ENOSPC and EDQUOT (Linux, macOS) and ERROR_DISK_FULL (Windows). */
  private static final List<String> MESSAGES =
      List.of("No space left on device", "Disk quota exceeded", "There is not enough space on the disk");

  /** A floor for the estimate: file trailers, superblocks, the manifest, skipped.tsv. */
  private static final long FINISHING_BYTES = 64 * 1024;

  private DiskFull() {}

  /** What one output file still needs: images × bytes per image. */
  record FileWork(Path file, long images, long bytesPerImage) {
    long bytes() {
      return images * bytesPerImage;
    }
  }

  /**
   * The space the rest of a build needs: {@code bytes}, explained by {@code detail} ("(27 images:
   * txt_ctx.hdf5 1.1 MiB, …)"), and what a rerun does.
   */
  record Estimate(long bytes, String detail, String rerun) {
    static final Estimate UNKNOWN = new Estimate(-1, "", RESUMES);
  }

  private static final String RESUMES = "it resumes where it stopped (what was written is kept)";

  /**
   * The caption db stage's estimate once the captions are known: the whole caption db (the stage
   * restarts when interrupted: minutes, not hours) — keys, features, and the texts with their
   * HDF5 string references — with the context files still to come on top.
   */
  static Supplier<Estimate> captionDbWork(Path file, List<String> captions, int keyDim, int featureDim) {
    return () -> {
      long bytes = 0;
      for (String c : captions) {
        int utf8 = c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        bytes += 4L * (keyDim + featureDim) + 32 + ((utf8 + 7) & ~7);
      }
      return new Estimate(
          bytes,
          String.format(
              Locale.ROOT,
              "for %s (%,d captions), and the context files on top",
              file.getFileName(),
              captions.size()),
          "it builds the caption db again, then goes on");
    };
  }

  /**
   * What the image pass still has to write, evaluated when a failure happens: per file, the tasks
   * that need it minus the images that reached the disk durably since the pass started (images
   * written after the last forced commit are redone by the rerun, so they count as left).
   * {@code visual}/{@code textual} writers are null when the file is not written.
   */
  static Supplier<Estimate> imagePassWork(
      List<ImagePass.Task> tasks,
      OutputFiles files,
      VisualContextWriter visual,
      int visualDim,
      TextualContextWriter textual,
      TextualLayout textualLayout,
      CaptionTable captions) {
    long visualTasks = tasks.stream().filter(ImagePass.Task::needVisual).count();
    long textualTasks = tasks.stream().filter(ImagePass.Task::needTextual).count();
    int visualAtStart = visual == null ? 0 : visual.durableCount();
    int textualAtStart = textual == null ? 0 : textual.durableCount();
    return () -> {
      List<FileWork> work = new ArrayList<>(2);
      if (textual != null) {
        work.add(
            new FileWork(
                files.textual(),
                textualTasks - (textual.durableCount() - textualAtStart),
                TextualContextWriter.estimatedBytesPerImage(
                    textualLayout, captions.meanTextBytes())));
      }
      if (visual != null) {
        work.add(
            new FileWork(
                files.visual(),
                visualTasks - (visual.durableCount() - visualAtStart),
                VisualContextWriter.estimatedBytesPerImage(visualDim)));
      }
      long bytes = Math.max(FINISHING_BYTES, work.stream().mapToLong(FileWork::bytes).sum());
      long images = work.stream().mapToLong(FileWork::images).max().orElse(0);
      List<String> parts = new ArrayList<>();
      for (FileWork w : work) {
        parts.add(w.file().getFileName() + " " + size(w.bytes()));
      }
      String detail =
          "(" + images + (images == 1 ? " image: " : " images: ") + String.join(", ", parts) + ")";
      return new Estimate(bytes, detail, RESUMES);
    };
  }

  /**
   * {@code failure} itself if no full disk caused it; otherwise an {@link OutOfDiskSpaceException}
   * with the estimate {@code workLeft} gives (an empty list: unknown).
   */
  static RuntimeException translate(
      RuntimeException failure, Path outputDir, Supplier<Estimate> workLeft) {
    if (failure instanceof OutOfDiskSpaceException) {
      return failure;
    }
    Optional<String> reason = diskFullReason(failure);
    if (reason.isEmpty()) {
      return failure;
    }
    Path path = fileOf(failure).orElse(outputDir);
    Estimate left;
    try {
      left = workLeft.get();
    } catch (RuntimeException e) {
      left = Estimate.UNKNOWN; // the estimate is a courtesy; the disk-full error is what matters
    }
    StringBuilder m = new StringBuilder();
    m.append(Character.toLowerCase(reason.get().charAt(0)))
        .append(reason.get().substring(1))
        .append(" writing ")
        .append(path);
    if (left.bytes() >= 0) {
      m.append(": the rest of the build needs about ")
          .append(size(left.bytes()))
          .append(" more ")
          .append(left.detail());
    }
    m.append("; free space in ")
        .append(outputDir)
        .append(" and rerun the same build: ")
        .append(left.rerun());
    return new OutOfDiskSpaceException(path, left.bytes(), m.toString(), failure);
  }

  /** The OS message of a full disk anywhere in the causes or suppressed exceptions. */
  static Optional<String> diskFullReason(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> todo = new ArrayList<>(List.of(failure));
    while (!todo.isEmpty()) {
      Throwable t = todo.remove(todo.size() - 1);
      if (t == null || !seen.add(t)) {
        continue;
      }
      if (t instanceof IOException) {
        String text = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
        for (String message : MESSAGES) {
          if (text != null && text.contains(message)) {
            return Optional.of(message);
          }
        }
      }
      todo.add(t.getCause());
      todo.addAll(List.of(t.getSuppressed()));
    }
    return Optional.empty();
  }

  private static Optional<Path> fileOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof Hdf5WriteException h && h.file() != null) {
        return Optional.of(h.file());
      }
      if (t instanceof FileSystemException f && f.getFile() != null) {
        return Optional.of(Path.of(f.getFile()));
      }
    }
    return Optional.empty();
  }

  /** Binary units, one decimal: "340.0 KiB", "1.2 MiB". */
  static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
