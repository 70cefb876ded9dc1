package org.ctx4j.core;

import java.time.Duration;

/**
 * Receives progress of a build, one task at a time ("reading captions", "encoding captions",
 * "images"). Calls come from one pipeline thread at a time, in order: {@code started}, any number of
 * {@code advanced}, then {@code finished}. Implementations must be cheap: they are called per batch.
 * Only {@code advanced} must be implemented, so a lambda is a listener: {@code (task, done) ->
 * System.out.println(task + " " + done)}.
 */
@FunctionalInterface
public interface ProgressListener {

  /**
   * A task starts.
   *
   * @param task what is being done, e.g. {@code "images"}
   * @param total how many units it will process, or -1 when unknown
   * @param alreadyDone units finished by an earlier, interrupted run (resumed, not redone)
   */
  default void started(String task, long total, long alreadyDone) {}

  /** {@code done} units of the current task are finished (cumulative, this run only). */
  void advanced(String task, long done);

  /** The task ended (normally or not) after {@code done} units. */
  default void finished(String task, long done) {}

  /** A listener that ignores everything. */
  static ProgressListener none() {
    return (task, done) -> {};
  }

  /**
   * A listener that logs (slf4j, logger {@code org.ctx4j.progress}) one line with count, rate and
   * ETA at most every {@code interval}: for output that is not a terminal.
   */
  static ProgressListener logging(Duration interval) {
    return new LoggingProgress(interval);
  }
}
