package org.ctx4j.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ctx4j.core.dataset.ImageSource;
import org.ctx4j.core.retrieval.RetrievalOptions;

/**
 * A validated build: {@link org.ctx4j.core.ContextBuilder} checks required and conflicting
 * settings (its messages name its methods) and hands this to {@link BuildRunner}. Nullable fields
 * are null exactly when no requested stage needs them.
 *
 * @param captionDb an existing caption db to use, or null to use/build {@code output/caption_db.hdf5}
 * @param crops textual crops in canonical order (WHOLE, FIVE, NINE)
 */
record BuildRequest(
    Set<Stage> stages,
    Supplier<ImageSource> images,
    Path visualGenomeDir,
    Path captionDb,
    ImageEncoder imageEncoder,
    TextEncoder textEncoder,
    ClipPreprocessor preprocessor,
    Path output,
    List<CropStrategy> crops,
    Map<CropStrategy, Integer> k,
    boolean compact,
    boolean captionDbInOriginalLayout,
    RetrievalOptions retrieval,
    boolean skipBad,
    Shard shard,
    int threads,
    int imageBatchSize,
    int captionBatchSize,
    long featureCacheBytes,
    ProgressListener progress) {}
