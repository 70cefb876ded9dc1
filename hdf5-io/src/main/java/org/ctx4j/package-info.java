/**
 * The exceptions ctx4j throws for what users can fix, all under {@link org.ctx4j.Ctx4jException}:
 * one package to catch from, whichever module threw. Each message names the file, image id, field
 * or setting at fault.
 *
 * <p>Datasets: {@link org.ctx4j.DatasetException} ⊃ {@link org.ctx4j.DatasetFormatException},
 * {@link org.ctx4j.MissingImageFilesException}. Images: {@link org.ctx4j.BadImageException} ⊃
 * {@link org.ctx4j.ImageDecodeException}, {@link org.ctx4j.ImageTooSmallException}. HDF5 files:
 * {@link org.ctx4j.Hdf5FileException} ⊃ {@link org.ctx4j.Hdf5FormatException}, {@link
 * org.ctx4j.WrongFileKindException}; writing: {@link org.ctx4j.Hdf5WriteException}, {@link
 * org.ctx4j.OutOfDiskSpaceException}. Builds: {@link org.ctx4j.BuildSettingsException}, {@link
 * org.ctx4j.OutputInUseException}, {@link org.ctx4j.OutputNotWritableException}, {@link
 * org.ctx4j.BuildInterruptedException}. Reading: {@link org.ctx4j.UnknownImageException}, {@link
 * org.ctx4j.ContextQueryException}.
 */
package org.ctx4j;
