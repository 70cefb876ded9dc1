package org.ctx4j.core;

/**
 * The three stages of a context build, as the original's three scripts: {@code encode_captions.py},
 * {@code encode_images.py} and {@code retrieve_captions.py}. {@link #VISUAL} and {@link #TEXTUAL}
 * share one pass over the images when both run.
 */
public enum Stage {
  /** Visual Genome captions → {@code caption_db.hdf5} (captions, CLIP text keys and features). */
  CAPTION_DB,
  /** Images → {@code vis_ctx.hdf5} (pooled CLIP image feature of the whole image). */
  VISUAL,
  /** Images + caption db → {@code txt_ctx.hdf5} (top-k captions per whole image and crop). */
  TEXTUAL
}
