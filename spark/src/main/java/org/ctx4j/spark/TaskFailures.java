package org.ctx4j.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ctx4j.Ctx4jException;

/**
 * Turns a failed Spark job into the one-line ctx4j error a one-machine build gives: in local mode
 * the task's exception is the cause; on a cluster only its text reaches the driver, inside
 * Spark's "Job aborted due to stage failure … Lost task …" message and stack trace.
 */
final class TaskFailures {
  private static final Pattern CTX4J_ERROR =
      Pattern.compile("org\\.ctx4j\\.(\\w+Exception): ([^\\n]*)");

  private TaskFailures() {}

  /** The exception to throw for a failed job: a ctx4j one where a task threw one. */
  static RuntimeException translate(Exception failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof Ctx4jException c) {
        return c;
      }
    }
    String text = String.valueOf(failure.getMessage());
    Matcher m = CTX4J_ERROR.matcher(text);
    if (m.find()) {
      return new Ctx4jException(m.group(2), failure);
    }
    return failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
  }
}
