package org.ctx4j.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;

/**
 * Separators as Python's {@code json.dump} writes them ({@code ", "} and {@code ": "}), so
 * synthetic files have the size per record of the real Visual Genome and COCO files.
 */
final class PythonJsonStyle extends MinimalPrettyPrinter {
  private static final long serialVersionUID = 1L;

  @Override
  public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(": ");
  }

  @Override
  public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
    g.writeRaw(", ");
  }

  @Override
  public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
    g.writeRaw(", ");
  }
}
