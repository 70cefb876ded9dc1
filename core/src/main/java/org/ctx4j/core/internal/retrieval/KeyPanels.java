package org.ctx4j.core.internal.retrieval;

/**
 * A read-only key matrix served as {@link PanelLayout} panels. Implementations are thread-safe;
 * each thread passes its own {@link PanelCursor}.
 */
public interface KeyPanels extends AutoCloseable {
  int size();

  int dim();

  /** Bytes of key storage held (heap or mapped). */
  long storageBytes();

  default int panelCount() {
    return PanelLayout.panelCount(size());
  }

  /** Points {@code cursor} at panel {@code panel}, expanding it into the cursor's scratch if needed. */
  void load(int panel, PanelCursor cursor);

  /** Human-readable origin for messages: a file path or "heap keys". */
  String source();

  @Override
  void close();
}
