package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.hdf5.PartialFileProgress;

/** Reads an interrupted write's journal without touching it, for {@link PartialFileProgress#of}. */
public final class JournalProgress {
  private JournalProgress() {}

  /** The journal as {@link AppendableHdf5File#open} would resume it: the images it keeps. */
  public static Optional<PartialFileProgress> of(Path file) {
    Path partial = AppendableHdf5File.partialOf(file);
    if (!Files.exists(partial)) {
      return Optional.empty();
    }
    Path journal = AppendableHdf5File.journalOf(file);
    if (!Files.exists(journal)) {
      return Optional.of(new PartialFileProgress(file, partial, "", 0));
    }
    try {
      WriteJournal.Contents c = WriteJournal.read(journal);
      if (c.descriptor() == null) {
        return Optional.of(new PartialFileProgress(file, partial, "", 0));
      }
      int images = (int) Arrays.stream(c.ids()).distinct().count();
      return Optional.of(new PartialFileProgress(file, partial, c.descriptor(), images));
    } catch (IOException e) {
      throw new Hdf5FileException(file, null, "cannot read " + journal + ": " + e, e);
    }
  }
}
