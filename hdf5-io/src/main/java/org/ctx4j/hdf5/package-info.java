/**
 * The three HDF5 file formats at the storage level: streaming, resumable writers ({@link
 * org.ctx4j.hdf5.VisualContextWriter}, {@link org.ctx4j.hdf5.TextualContextWriter}, {@link
 * org.ctx4j.hdf5.CaptionDbWriter}) whose files h5py and the original Xmodal-Ctx code read
 * unchanged, the readers they are checked with, and {@link org.ctx4j.hdf5.CompactExport}.
 *
 * <p>Most users read through {@code org.ctx4j.core} ({@code TextualContext}, {@code
 * VisualContext}, {@code CaptionDb}) and never touch this package; it is for tools that write
 * context files of their own. The layouts are documented in {@code docs/hdf5-format.md}.
 */
package org.ctx4j.hdf5;
