package org.ctx4j.hdf5;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One crop group of a textual context file: its name (the HDF5 subgroup, e.g. {@code "five"}), how
 * many crops it holds ({@code 1} for {@code "whole"}, {@code 5}, {@code 9}) and how many retrieved
 * captions (k) are stored per crop.
 *
 * <p>A {@code count} of 1 is stored the way the original stored {@code whole}: without the leading
 * crop axis ({@code features (k,d)}, not {@code (1,k,d)}) when the name is {@code "whole"}; every
 * other crop keeps the leading axis.
 *
 * @param name the subgroup name: 1-255 printable ASCII characters, no {@code '/'}, no spaces
 * @param count the number of crops, at least 1
 * @param k the number of captions stored per crop, at least 1
 */
public record CropSpec(String name, int count, int k) {
  /** Name of the whole-image crop, stored without the crop axis. */
  public static final String WHOLE = "whole";

  public CropSpec {
    checkNotNull(name, "name");
    checkArgument(
        !name.isEmpty()
            && name.length() < 256
            && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')
            && !name.equals(".")
            && !name.equals(".."),
        "crop name (%s) must be 1-255 printable ASCII characters without '/' or spaces",
        name);
    checkArgument(count >= 1, "crop count (%s) of crop %s must be >= 1", count, name);
    checkArgument(k >= 1, "k (%s) of crop %s must be >= 1", k, name);
    checkArgument(
        !name.equals(WHOLE) || count == 1, "crop %s must have count 1, not %s", name, count);
  }

  /** Whether the datasets of this crop carry a leading crop axis ({@code (count,k,...)}). */
  public boolean hasCropAxis() {
    return !name.equals(WHOLE);
  }
}
