package org.ctx4j;

/**
 * The thread running a build was interrupted. The build stopped after writing what it had
 * finished (the files stay resumable: run the same build again to go on) and the thread's
 * interrupt status is set again, so callers up the stack see it too.
 */
public final class BuildInterruptedException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  public BuildInterruptedException(String message) {
    super(message);
  }
}
