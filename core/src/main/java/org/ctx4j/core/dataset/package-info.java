/**
 * Dataset readers: the images a context build iterates ({@link org.ctx4j.core.dataset.ImageSource}:
 * MS-COCO captions, a plain image folder) and the Visual Genome caption database ({@link
 * org.ctx4j.core.dataset.VisualGenomeCaptions}).
 *
 * <p>Bad input is reported with a {@link org.ctx4j.DatasetException} that names the
 * file and, for JSON, line, column and field.
 */
package org.ctx4j.core.dataset;

import org.ctx4j.DatasetException;
