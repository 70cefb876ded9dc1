package org.ctx4j.clip.internal;

/** What {@code ClipModel} asks of the encoders it hands out, whichever route made them. */
public interface TowerState {
  /** Whether the encoder (or its model) was closed. */
  boolean isClosed();
}
