package org.ctx4j.cli;

import java.nio.file.Path;
import org.ctx4j.clip.ClipModel;
import org.ctx4j.core.ProgressListener;

/**
 * A build in a child JVM for {@link SameBytesTest}: {@code data model out batchSize threads}. It
 * prints {@code progress <task> <done>} on stdout, flushed, after every step a listener hears of
 * (every image written, every caption batch), so the parent can kill it at an exact point of the
 * run with no sleeps.
 */
public final class BuildUntilKilledMain {
  private BuildUntilKilledMain() {}

  public static void main(String[] args) {
    Path data = Path.of(args[0]);
    Path model = Path.of(args[1]);
    ProgressListener printing =
        (task, done) -> {
          System.out.println("progress " + task.replace(' ', '_') + " " + done);
          System.out.flush();
        };
    try (ClipModel clip = ClipModel.load(model)) {
      DemoBuilds.builder(data, clip, Path.of(args[2]))
          .batchSize(Integer.parseInt(args[3]))
          .threads(Integer.parseInt(args[4]))
          .captionBatchSize(16)
          .progress(printing)
          .build();
    }
    System.out.println("done");
  }
}
