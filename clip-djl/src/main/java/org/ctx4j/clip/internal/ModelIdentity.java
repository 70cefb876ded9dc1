package org.ctx4j.clip.internal;

import java.util.function.Supplier;

/**
 * What the encoders of one model report about where they come from: the model's name, a digest of
 * its files (computed on first use, memoised: half a second for a ViT-B/32 checkpoint) and the
 * numerics they run with.
 */
public record ModelIdentity(String modelId, Supplier<String> contentDigest, String numerics) {}
