package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The shape of a textual context file: the text feature width, the crop groups stored per image
 * (in file order) and whether the file uses the compact layout (caption ids into a caption db
 * instead of texts and features).
 *
 * @param dim the text feature width d (ignored by the compact layout, still recorded), at least 1
 * @param crops the crop groups, non-empty, unique names
 * @param compact whether per-image groups store {@code ids} (int32) instead of texts and features
 */
public record TextualLayout(int dim, List<CropSpec> crops, boolean compact) {
  public TextualLayout {
    checkArgument(dim >= 1, "feature dim (%s) must be >= 1", dim);
    checkNotNull(crops, "crops");
    crops = List.copyOf(crops);
    checkArgument(!crops.isEmpty(), "a textual layout needs at least one crop");
    Set<String> names = new HashSet<>();
    for (CropSpec crop : crops) {
      checkArgument(names.add(crop.name()), "crop %s appears twice in %s", crop.name(), crops);
    }
  }

  /** The crop spec named {@code name}, if this layout has it. */
  public Optional<CropSpec> crop(String name) {
    return crops.stream().filter(c -> c.name().equals(name)).findFirst();
  }
}
