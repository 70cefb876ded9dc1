/**
 * CLIP image and text towers on DJL (PyTorch engine), loaded from HuggingFace model directories.
 *
 * <p>Entry points: {@link org.ctx4j.clip.ClipModel#load(java.nio.file.Path)} gives the {@link
 * org.ctx4j.core.ImageEncoder} and {@link org.ctx4j.core.TextEncoder} the pipeline uses; {@link
 * org.ctx4j.clip.ClipTokenizer} is the CLIP byte-pair tokenizer. Nothing here downloads anything.
 * (Small random CLIP models for tests and demos come from the {@code ctx4j-testing} module.)
 */
package org.ctx4j.clip;
