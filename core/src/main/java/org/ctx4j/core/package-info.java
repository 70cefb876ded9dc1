/**
 * Building and reading cross-modal context.
 *
 * <p>Build: {@link org.ctx4j.core.ContextBuilder} runs the whole job (caption db, visual context,
 * textual context) from a dataset, an {@link org.ctx4j.core.ImageEncoder} and a {@link
 * org.ctx4j.core.TextEncoder}; it resumes, shards and refuses to mix settings, and gives the same
 * bytes whatever the batch size, threads or resume point. {@link org.ctx4j.core.BuildDirectory}
 * shows what an output directory holds.
 *
 * <p>Read: {@link org.ctx4j.core.TextualContext} ({@code topK(imageId, "five", 2, 4)}), {@link
 * org.ctx4j.core.VisualContext} and {@link org.ctx4j.core.CaptionDb}, for files written by ctx4j
 * or by the original Xmodal-Ctx scripts.
 *
 * <p>Pixels: {@link org.ctx4j.core.ClipPreprocessor} and {@link org.ctx4j.core.CropStrategy}
 * reproduce the reference crops and CLIP preprocessing exactly.
 */
package org.ctx4j.core;
