package org.ctx4j.core;

import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress as periodic log lines ("images: 1200/5000 (24.0%), 85.3/s, ETA 0:00:44"), for output
 * that is not a terminal (CI logs, nohup): a bar redrawn with carriage returns would flood them.
 */
final class LoggingProgress implements ProgressListener {
  private static final Logger LOG = LoggerFactory.getLogger("org.ctx4j.progress");

  private final long intervalNanos;
  private long startNanos;
  private long lastLogNanos;
  private long total;

  public LoggingProgress(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  @Override
  public synchronized void started(String task, long total, long alreadyDone) {
    this.total = total;
    this.startNanos = System.nanoTime();
    this.lastLogNanos = startNanos;
    if (alreadyDone > 0) {
      LOG.info("{}: {} to do, {} already done by an earlier run", task, total, alreadyDone);
    } else {
      LOG.info("{}: {} to do", task, total < 0 ? "?" : Long.toString(total));
    }
  }

  @Override
  public synchronized void advanced(String task, long done) {
    long now = System.nanoTime();
    if (now - lastLogNanos >= intervalNanos) {
      lastLogNanos = now;
      LOG.info(line(task, done, now));
    }
  }

  @Override
  public synchronized void finished(String task, long done) {
    LOG.info(line(task, done, System.nanoTime()) + " - done");
  }

  private String line(String task, long done, long now) {
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = done / seconds;
    if (total <= 0) {
      return String.format(Locale.ROOT, "%s: %d, %.1f/s", task, done, rate);
    }
    long etaSeconds = rate > 0 ? (long) Math.ceil((total - done) / rate) : -1;
    return String.format(
        Locale.ROOT,
        "%s: %d/%d (%.1f%%), %.1f/s, ETA %s",
        task,
        done,
        total,
        100.0 * done / total,
        rate,
        etaSeconds < 0 ? "?" : formatDuration(etaSeconds));
  }

  static String formatDuration(long seconds) {
    return String.format(
        Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
  }
}
