package org.ctx4j;


/**
 * Keys an index cannot search: a non-finite component, a value half precision cannot hold, or a key
 * file too short for the requested matrix. The message names the source (a file or "heap keys"),
 * and {@link #keyId()} the offending key where there is one.
 */
public class InvalidKeysException extends Ctx4jException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long keyId;

  /**
   * @param source where the keys come from: a file path, or {@code "heap keys"}
   * @param keyId the offending key's id, or -1 when the problem is not one key
   */
  public InvalidKeysException(String source, long keyId, String message) {
    super(message);
    this.source = source;
    this.keyId = keyId;
  }

  public InvalidKeysException(String source, String message, Throwable cause) {
    super(message, cause);
    this.source = source;
    this.keyId = -1;
  }

  /** The key file path, or {@code "heap keys"}. */
  public String source() {
    return source;
  }

  /** Id (row) of the offending key, or -1. */
  public long keyId() {
    return keyId;
  }
}
