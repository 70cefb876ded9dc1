package org.ctx4j;


/**
 * A build was asked for something it cannot do with the settings given: a required setting is
 * missing (the message names the method to call), two settings conflict, or an output directory
 * already holds a build made with other settings (model, k, crops, layout) that this run would mix
 * with.
 */
public class BuildSettingsException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  public BuildSettingsException(String message) {
    super(message);
  }
}
