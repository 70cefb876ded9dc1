package org.ctx4j.hdf5.internal.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.ctx4j.Hdf5FileException;

/**
 * What an interrupted write's journal records, read without touching it (for the API's {@code
 * PartialFileProgress.of}).
 *
 * @param partial the {@code .partial} file holding the bytes written so far
 * @param descriptor the run descriptor the journal names, empty if its header is unreadable
 * @param completeImages images recorded as complete
 */
public record JournalProgress(Path partial, String descriptor, int completeImages) {

  /** The journal as {@link AppendableHdf5File#open} would resume it: the images it keeps. */
  public static Optional<JournalProgress> of(Path file) {
    Path partial = AppendableHdf5File.partialOf(file);
    if (!Files.exists(partial)) {
      return Optional.empty();
    }
    Path journal = AppendableHdf5File.journalOf(file);
    if (!Files.exists(journal)) {
      return Optional.of(new JournalProgress(partial, "", 0));
    }
    try {
      WriteJournal.Contents c = WriteJournal.read(journal);
      if (c.descriptor() == null) {
        return Optional.of(new JournalProgress(partial, "", 0));
      }
      int images = (int) Arrays.stream(c.ids()).distinct().count();
      return Optional.of(new JournalProgress(partial, c.descriptor(), images));
    } catch (IOException e) {
      throw new Hdf5FileException(file, null, "cannot read " + journal + ": " + e, e);
    }
  }
}
