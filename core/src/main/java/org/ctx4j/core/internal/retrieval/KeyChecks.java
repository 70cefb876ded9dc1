package org.ctx4j.core.internal.retrieval;

import org.ctx4j.InvalidKeysException;

/** Builds the messages for keys an index refuses. */
public final class KeyChecks {
  private KeyChecks() {}

  public static InvalidKeysException nonFinite(String source, long key, int component, float value) {
    return new InvalidKeysException(
        source, key, "key " + key + " component " + component + " is " + value + " in " + source
            + ": keys must be finite");
  }
}
