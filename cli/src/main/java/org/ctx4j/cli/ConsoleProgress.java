package org.ctx4j.cli;

import java.io.Console;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.ctx4j.core.ProgressListener;

/** A terminal progress bar per task (count, rate, ETA) with me.tongfei:progressbar. */
final class ConsoleProgress implements ProgressListener {
  private ProgressBar bar;

  /** Milliseconds between plain progress lines: {@code -Dctx4j.progressIntervalMillis}. */
  static final String INTERVAL_PROPERTY = "ctx4j.progressIntervalMillis";

  /**
   * A bar on a terminal; periodic plain log lines when the output is not one (CI, pipes, nohup,
   * {@code TERM=dumb}), so logs never hold cursor moves or ANSI escape codes: every 10 s, or as
   * often as {@value #INTERVAL_PROPERTY} says (0: a line for every step).
   */
  static ProgressListener forThisProcess() {
    return isTerminal(System.console(), System.getenv("TERM"))
        ? new ConsoleProgress()
        : ProgressListener.logging(Duration.ofMillis(Long.getLong(INTERVAL_PROPERTY, 10_000)));
  }

  /**
   * Whether output goes to an interactive terminal. Before JDK 22 {@code System.console()} is null
   * unless stdin and stdout are a terminal; from 22 on it is never null, and {@code
   * Console.isTerminal()} (called reflectively, we compile for 17) tells.
   */
  static boolean isTerminal(Console console, String term) {
    if (console == null || "dumb".equals(term)) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
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
