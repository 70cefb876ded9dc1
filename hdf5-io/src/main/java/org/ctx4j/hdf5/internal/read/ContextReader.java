package org.ctx4j.hdf5.internal.read;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfInvalidPathException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.ctx4j.Hdf5FileException;
import org.ctx4j.Hdf5FormatException;

/**
 * Random access to the groups and datasets of one HDF5 file, for the context file readers.
 *
 * <p>Two routes: a direct reader for what h5py and our writers produce (old-style groups,
 * contiguous datasets: a lookup is a handful of small positional reads, and the B-tree of the root
 * group is never read whole), and jhdf for everything else (new-style groups, chunked/gzip
 * datasets such as the original caption db, attributes). The direct route is tried first per
 * request; a structure it does not handle sends that request to jhdf. Thread-safe; jhdf calls are
 * serialised.
 */
public final class ContextReader implements AutoCloseable {
  /** Datasets larger than this are never read whole through jhdf (corrupt sizes, OOM guard). */
  private static final long MAX_WHOLE_READ = 1L << 30;

  /** A group or dataset of the file, as found by {@link #root()} and {@link #child}. */
  public static final class Entry {
    private final String path;
    private final ObjectHeader header;
    private DatasetHeader dataset;
    private GroupMembers group;

    private Entry(String path, ObjectHeader header) {
      this.path = path;
      this.header = header;
    }

    /** The HDF5 path, e.g. {@code /531912/five}. */
    public String path() {
      return path;
    }
  }

  private final FileBytes bytes;
  private final HdfStructure direct;
  /** Memo of {@link #rootImages()}. */
  private volatile long[][] rootImages;
  /** Memo of {@link #firstRootEntry()}: the file is read-only. */
  private volatile Optional<Entry> firstRootEntry;

  /** Opened on first use: files read only through the direct route never pay for it. */
  private HdfFile jhdfFile;

  private ContextReader(FileBytes bytes, HdfStructure direct) {
    this.bytes = bytes;
    this.direct = direct;
  }

  /**
   * Opens {@code file}: checks the superblock and root group. An empty, truncated or non-HDF5 file
   * throws {@link Hdf5FormatException}.
   */
  public static ContextReader open(Path file) {
    FileBytes bytes = FileBytes.open(file);
    try {
      HdfStructure direct;
      try {
        direct = HdfStructure.open(bytes);
      } catch (UnsupportedStructureException e) {
        direct = null;
      } catch (Hdf5FileException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new Hdf5FormatException(file, "/", "corrupt HDF5 file " + file + ": " + e, e);
      }
      ContextReader reader = new ContextReader(bytes, direct);
      if (direct == null) {
        reader.jhdf("/", f -> f); // fail now, not on first lookup
      }
      return reader;
    } catch (RuntimeException e) {
      bytes.close();
      throw e;
    }
  }

  public Path file() {
    return bytes.file();
  }

  /** Whether requests go through the direct reader (false: every request goes to jhdf). */
  public boolean isDirect() {
    return direct != null;
  }

  /** Root attributes as strings (numbers in decimal, arrays as {@code [a, b]}). */
  public Map<String, String> rootAttributes() {
    return jhdf(
        "/",
        f -> {
          Map<String, String> out = new LinkedHashMap<>();
          for (Map.Entry<String, Attribute> a : f.getAttributes().entrySet()) {
            out.put(a.getKey(), attributeText(a.getValue().getData()));
          }
          return out;
        });
  }

  /** The root group. */
  public Entry root() {
    return new Entry("/", direct == null ? null : direct.rootHeader());
  }

  /**
   * The member {@code name} of {@code group}, or null if it has none.
   *
   * @throws Hdf5FormatException if {@code group} is a dataset
   */
  public Entry child(Entry group, String name) {
    String path = group.path.equals("/") ? "/" + name : group.path + "/" + name;
    if (group.header != null) {
      try {
        return guarded(path, () -> {
          if (group.group == null) {
            group.group = direct.group(group.header, group.path);
          }
          long address = group.group.find(name);
          if (address < 0) {
            return null;
          }
          try {
            return new Entry(path, direct.header(address, path));
          } catch (UnsupportedStructureException e) {
            return new Entry(path, null); // found here, read through jhdf
          }
        });
      } catch (SymbolTable.NotAGroupException e) {
        throw new Hdf5FormatException(file(), group.path, group.path + " in " + file() + " is a dataset, not a group");
      } catch (UnsupportedStructureException e) {
        // fall through to jhdf
      }
    }
    return jhdf(
        path,
        f -> {
          Node parent = node(f, group.path);
          if (!(parent instanceof Group)) {
            throw new Hdf5FormatException(file(), group.path, group.path + " in " + file() + " is a dataset, not a group");
          }
          return ((Group) parent).getChild(name) == null ? null : new Entry(path, null);
        });
  }

  /**
   * The objects of image {@code imageId} (the root member of that decimal name) as one
   * relocatable run of bytes, or null when the file has no such image or its objects are not laid
   * out as ctx4j's writer lays them out (then read the image the ordinary way).
   */
  public ImageBlock imageBlock(long imageId) {
    if (direct == null) {
      return null;
    }
    long[][] images = rootImages();
    int at = Arrays.binarySearch(images[0], imageId);
    if (at < 0) {
      return null;
    }
    return guarded("/" + imageId, () -> ImageBlock.of(direct, images[1][at]));
  }

  /** The root's image ids, ascending (direct route only). */
  long[] rootImageIds() {
    return rootImages()[0].clone();
  }

  /**
   * {ids ascending, their object header addresses} of the root's image members, read in one pass
   * over the root B-tree on first use, for {@link ImageIds} and {@link #imageBlock}: a merge copies
   * every image, and a name lookup per image costs ~20 small reads.
   */
  private long[][] rootImages() {
    long[][] images = rootImages;
    if (images == null) {
      TreeMap<Long, Long> found = new TreeMap<>();
      guarded("/", () -> {
        direct.root().forEach((name, address) -> {
          if (FileKind.isImageId(name)) {
            found.put(Long.parseLong(name), address);
          }
        });
        return null;
      });
      images = new long[][] {new long[found.size()], new long[found.size()]};
      int i = 0;
      for (Map.Entry<Long, Long> e : found.entrySet()) {
        images[0][i] = e.getKey();
        images[1][i++] = e.getValue();
      }
      rootImages = images;
    }
    return images;
  }

  /** Whether the entry is a group (else a dataset). */
  public boolean isGroup(Entry entry) {
    if (entry.header != null) {
      return entry.header.find(ObjectHeader.LAYOUT) == null;
    }
    return jhdf(entry.path, f -> node(f, entry.path).isGroup());
  }

  /** Member names of a small group (e.g. the crops of one image), in name order. */
  public List<String> childNames(Entry group) {
    if (group.header != null) {
      try {
        return guarded(group.path, () -> {
          if (group.group == null) {
            group.group = direct.group(group.header, group.path);
          }
          List<String> names = new ArrayList<>();
          group.group.forEach((name, address) -> names.add(name));
          return names;
        });
      } catch (SymbolTable.NotAGroupException e) {
        return List.of();
      } catch (UnsupportedStructureException e) {
        // fall through
      }
    }
    return jhdf(
        group.path,
        f -> {
          Node n = node(f, group.path);
          List<String> names = n instanceof Group ? new ArrayList<>(((Group) n).getChildren().keySet()) : new ArrayList<>();
          names.sort(null);
          return names;
        });
  }

  /**
   * Every member name of the root group, through jhdf: for files the direct route cannot read
   * (those it reads list their images with {@link #rootImageIds}).
   */
  List<String> rootNamesThroughJhdf() {
    return jhdf("/", f -> new ArrayList<>(f.getChildren().keySet()));
  }

  /** The first root member in name order, or null for an empty file; reads one B-tree path. */
  public Entry firstRootEntry() {
    Optional<Entry> first = firstRootEntry;
    if (first == null) {
      if (direct != null) {
        first = guarded("/", () -> {
          Map.Entry<String, Long> e = direct.root().first();
          if (e == null) {
            return Optional.<Entry>empty();
          }
          String path = "/" + e.getKey();
          try {
            return Optional.of(new Entry(path, direct.header(e.getValue(), path)));
          } catch (UnsupportedStructureException unsupported) {
            return Optional.of(new Entry(path, null)); // jhdf reads this one
          }
        });
      } else {
        first = jhdf("/", f -> f.getChildren().keySet().stream().sorted().findFirst().map(n -> new Entry("/" + n, null)));
      }
      firstRootEntry = first;
    }
    return first.orElse(null);
  }

  /** The name of {@link #firstRootEntry()}, or null for an empty file. */
  public String firstRootName() {
    Entry first = firstRootEntry();
    return first == null ? null : first.path.substring(1);
  }

  /** The dataset's shape. */
  public long[] dims(Entry dataset) {
    DatasetHeader d = directDataset(dataset);
    if (d != null) {
      return d.dims().clone();
    }
    return jhdf(dataset.path, f -> asDataset(f, dataset.path).getDimensionsAsLong());
  }

  /** Row-major elements {@code [start, start + count)} of a float dataset. */
  public float[] floats(Entry dataset, long start, int count) {
    return elements(dataset, start, count, (d, s, c) -> direct.floats(d, s, c), float[].class, Number.class, "floats",
        (values, out) -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values[i]).floatValue();
          }
        });
  }

  /** Row-major elements {@code [start, start + count)} of an integer dataset. */
  public int[] ints(Entry dataset, long start, int count) {
    return elements(dataset, start, count, (d, s, c) -> direct.ints(d, s, c), int[].class, Number.class, "integers",
        (values, out) -> {
          for (int i = 0; i < out.length; i++) {
            if (values[i] instanceof Float || values[i] instanceof Double) {
              throw new ClassCastException("floating point value");
            }
            out[i] = Math.toIntExact(((Number) values[i]).longValue());
          }
        });
  }

  /** Row-major elements {@code [start, start + count)} of a string dataset (vlen or fixed). */
  public String[] strings(Entry dataset, long start, int count) {
    return elements(dataset, start, count, (d, s, c) -> direct.strings(d, s, c), String[].class, String.class, "strings",
        (values, out) -> {
          for (int i = 0; i < out.length; i++) {
            out[i] = (String) values[i];
          }
        });
  }

  private interface DirectRead<A> {
    A read(DatasetHeader d, long start, int count);
  }

  private interface Convert<A> {
    void into(Object[] values, A out);
  }

  /** The direct route when it handles the dataset, else jhdf with the values converted. */
  private <A> A elements(
      Entry dataset,
      long start,
      int count,
      DirectRead<A> directRead,
      Class<A> arrayType,
      Class<?> elementType,
      String what,
      Convert<A> convert) {
    DatasetHeader d = directDataset(dataset);
    if (d != null) {
      try {
        return guarded(dataset.path, () -> directRead.read(d, start, count));
      } catch (UnsupportedStructureException e) {
        // fall through to jhdf
      }
    }
    Object flat = jhdfRange(dataset, start, count);
    Object[] values = new Object[count];
    for (int i = 0; i < count; i++) {
      values[i] = Array.get(flat, i);
      if (!elementType.isInstance(values[i])) {
        throw new Hdf5FormatException(file(), dataset.path, dataset.path + " in " + file() + " holds "
            + values[i].getClass().getSimpleName() + " values, expected " + what);
      }
    }
    A out = arrayType.cast(Array.newInstance(arrayType.getComponentType(), count));
    try {
      convert.into(values, out);
    } catch (ClassCastException | ArithmeticException e) {
      throw new Hdf5FormatException(file(), dataset.path, dataset.path + " in " + file()
          + " holds values that are not " + what + ": " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Runs a direct-route step; an unexpected runtime exception there (a corrupt length that overruns
   * a buffer, say) becomes an Hdf5FormatException naming the file and path.
   */
  private <T> T guarded(String path, java.util.function.Supplier<T> step) {
    try {
      return step.get();
    } catch (Hdf5FileException
        | UnsupportedStructureException
        | SymbolTable.NotAGroupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new Hdf5FormatException(
          file(), path, "corrupt HDF5 file " + file() + " at " + path + ": " + e, e);
    }
  }

  /**
   * Where a dataset's elements lie in the file, if it is stored contiguously and uncompressed: the
   * absolute byte offset of element 0, else -1.
   */
  public long contiguousOffset(Entry dataset) {
    DatasetHeader d = directDataset(dataset);
    if (d != null && d.dataAddress() >= 0) {
      return direct.absolute(d.dataAddress());
    }
    return -1;
  }

  /** Whether a dataset is stored as 32-bit little-endian floats. */
  public boolean isFloat32(Entry dataset) {
    DatasetHeader d = directDataset(dataset);
    if (d != null) {
      return d.type() == DatasetHeader.ElementType.FLOAT32;
    }
    return jhdf(dataset.path, f -> asDataset(f, dataset.path).getJavaType() == float.class);
  }

  private DatasetHeader directDataset(Entry entry) {
    if (entry.header == null) {
      return null;
    }
    if (entry.dataset == null) {
      if (entry.header.find(ObjectHeader.LAYOUT) == null) {
        throw new Hdf5FormatException(file(), entry.path, entry.path + " in " + file() + " is a group, expected a dataset");
      }
      try {
        entry.dataset = guarded(entry.path, () -> direct.dataset(entry.header, entry.path));
      } catch (UnsupportedStructureException e) {
        return null;
      }
    }
    return entry.dataset;
  }

  private Object jhdfRange(Entry entry, long start, int count) {
    return jhdf(
        entry.path,
        f -> {
          Dataset ds = asDataset(f, entry.path);
          long total = ds.getSize();
          if (start < 0 || count < 0 || start > total - count) {
            throw new IndexOutOfBoundsException(
                "elements [" + start + ", " + (start + count) + ") outside " + total + " of " + entry.path);
          }
          // jhdf allocates what the chunk index claims: a corrupt chunk size must not reach it
          long stored = ds.getStorageInBytes();
          if (stored < 0 || stored > bytes.size()) {
            throw new Hdf5FormatException(file(), entry.path, "corrupt HDF5 file " + file() + " at "
                + entry.path + ": its chunks claim " + stored + " bytes, the file has " + bytes.size());
          }
          if (ds.getSizeInBytes() > MAX_WHOLE_READ || ds.getSizeInBytes() < 0) {
            throw new Hdf5FormatException(file(), entry.path, entry.path + " in " + file() + " claims " + ds.getSizeInBytes() + " bytes: too large to read");
          }
          Object flat = ds.isScalar() ? wrapScalar(ds.getData()) : ds.getDataFlat();
          if (start == 0 && count == Array.getLength(flat)) {
            return flat;
          }
          Object out = Array.newInstance(flat.getClass().getComponentType(), count);
          System.arraycopy(flat, (int) start, out, 0, count);
          return out;
        });
  }

  private static Object wrapScalar(Object value) {
    Object[] one = {value};
    return one;
  }

  private static Node node(HdfFile f, String path) {
    return path.equals("/") ? f : f.getByPath(path);
  }

  private Dataset asDataset(HdfFile f, String path) {
    Node n = node(f, path);
    if (!(n instanceof Dataset)) {
      throw new Hdf5FormatException(file(), path, path + " in " + file() + " is a group, expected a dataset");
    }
    return (Dataset) n;
  }

  private interface JhdfCall<T> {
    T apply(HdfFile file);
  }

  private synchronized <T> T jhdf(String path, JhdfCall<T> call) {
    if (jhdfFile == null) {
      jhdfFile = openJhdf();
    }
    try {
      return call.apply(jhdfFile);
    } catch (Hdf5FileException e) {
      throw e;
    } catch (HdfInvalidPathException e) {
      throw new Hdf5FormatException(file(), path, "no object " + path + " in " + file(), e);
    } catch (RuntimeException e) {
      throw new Hdf5FormatException(
          file(), path, "cannot read " + path + " of " + file() + ": " + e.getMessage(), e);
    }
  }

  private HdfFile openJhdf() {
    try {
      return new HdfFile(bytes.file());
    } catch (RuntimeException e) {
      throw new Hdf5FormatException(file(), null, "cannot read " + file() + " as HDF5: " + e.getMessage(), e);
    }
  }

  private static String attributeText(Object data) {
    if (data == null) {
      return "";
    }
    if (data.getClass().isArray()) {
      int n = Array.getLength(data);
      List<String> parts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        parts.add(attributeText(Array.get(data, i)));
      }
      return n == 1 ? parts.get(0) : parts.toString();
    }
    return data.toString();
  }

  @Override
  public synchronized void close() {
    try {
      if (jhdfFile != null) {
        jhdfFile.close();
        jhdfFile = null;
      }
    } finally {
      bytes.close();
    }
  }
}
