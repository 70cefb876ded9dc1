package org.ctx4j.hdf5;

import java.nio.file.Path;
import java.util.Map;

/**
 * Child process of {@link WriterCrashTest}: writes synthetic images 0..count-1 in order into a
 * txt_ctx file (resuming what an earlier, killed child left), pausing briefly between images so
 * the parent can kill it at an arbitrary point. Exits normally only after {@code close()}.
 */
public final class CrashingWriterMain {
  private CrashingWriterMain() {}

  public static void main(String[] args) throws InterruptedException {
    Path file = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (TextualContextWriter w =
        TextualContextWriter.open(file, SyntheticContexts.LAYOUT, Map.of("model", "crash-test"))) {
      System.out.println("resumed " + w.completedCount());
      System.out.flush();
      for (long id = 0; id < count; id++) {
        if (!w.isComplete(id)) {
          w.write(id, SyntheticContexts.textual(SyntheticContexts.LAYOUT, id));
          Thread.sleep(1);
        }
      }
    }
  }
}
