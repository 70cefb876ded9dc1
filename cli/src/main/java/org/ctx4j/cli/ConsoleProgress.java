package org.ctx4j.cli;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ctx4j.core.ProgressListener;

/** A terminal progress bar per task (count, rate, ETA) with me.tongfei:progressbar. */
final class ConsoleProgress implements ProgressListener {
  private ProgressBar bar;

  /** A bar on a terminal; periodic log lines when the output is not one (CI, pipes, nohup). */
  static ProgressListener forThisProcess() {
    return System.console() != null
        ? new ConsoleProgress()
        : ProgressListener.logging(Duration.ofSeconds(10));
  }

  @Override
  public synchronized void started(String task, long total, long alreadyDone) {
    closeBar();
    String name = alreadyDone > 0 ? task + " (" + alreadyDone + " resumed)" : task;
    bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .showSpeed()
            .setUpdateIntervalMillis(500)
            .build();
  }

  @Override
  public synchronized void advanced(String task, long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public synchronized void finished(String task, long done) {
    if (bar != null) {
      bar.stepTo(done);
    }
    closeBar();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
