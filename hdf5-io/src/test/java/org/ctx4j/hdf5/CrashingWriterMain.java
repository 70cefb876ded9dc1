package org.ctx4j.hdf5;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link WriterCrashTest}: writes synthetic images 0..count-1 in order into a
 * txt_ctx file (resuming what an earlier, killed child left), printing {@code wrote <id>} after
 * each, so that the parent can kill it on the line of an image it chose. Exits normally only
 * after {@code close()}.
 */
public final class CrashingWriterMain {
  private CrashingWriterMain() {}

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (TextualContextWriter w =
        TextualContextWriter.open(file, SyntheticContexts.LAYOUT, Map.of("model", "crash-test"))) {
      System.out.println("resumed " + w.completedCount());
      System.out.flush();
      for (long id = 0; id < count; id++) {
        if (!w.isComplete(id)) {
          w.write(id, SyntheticContexts.textual(SyntheticContexts.LAYOUT, id));
          System.out.println("wrote " + id);
          System.out.flush();
        }
      }
    }
  }
}
