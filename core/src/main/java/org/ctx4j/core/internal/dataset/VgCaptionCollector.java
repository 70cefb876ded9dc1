package org.ctx4j.core.internal.dataset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates Visual Genome objects and relationships into the caption set of the original's {@code
 * VisualGenomeCaptions.parse_annotations} (GT-RIPL/Xmodal-Ctx ctx/dataset.py), keeping only word
 * ids: each distinct cleaned word is stored once, captions are packed longs.
 *
 * <p>Attribute sets follow the original exactly, including its aliasing: {@code objs[n] = _attrs}
 * stores one set object for all names first seen in the same object, and later {@code objs[n] |=}
 * grows that shared set. So names first seen together form a group sharing one attribute set; we
 * store a group id per name and (group, attribute) pairs.
 */
public final class VgCaptionCollector {
  /** Bits per word id in a packed relationship triple. */
  private static final int TRIPLE_ID_BITS = 21;

  private static final int TRIPLE_ID_LIMIT = 1 << TRIPLE_ID_BITS;

  private final Map<String, Integer> idByWord = new HashMap<>();
  private final List<String> words = new ArrayList<>();

  /** Attribute group per word id used as a name; -1 when the word was never a name. */
  private int[] groupOfName = new int[1024];

  private int groups;
  private final LongHashSet groupAttributes = new LongHashSet(1 << 16);
  private final LongHashSet relationships = new LongHashSet(1 << 16);

  /** Triples whose word ids do not fit {@link #TRIPLE_ID_BITS}: in real data, never. */
  private final Set<String> wideRelationships = new HashSet<>();

  private int[] scratchNames = new int[8];
  private int[] scratchGroups = new int[8];
  private int[] scratchAttributes = new int[8];
  private int[] scratchObjects = new int[8];

  public VgCaptionCollector() {
    Arrays.fill(groupOfName, -1);
  }

  /**
   * One element of an image's "attributes" list.
   *
   * @param synsets the raw "synsets" (empty when absent)
   * @param attributes the raw "attributes" (empty when absent)
   */
  public void addObject(List<String> synsets, List<String> attributes) {
    int names = distinctIds(synsets, scratchNames = fit(scratchNames, synsets.size()));
    int attrs = 0;
    scratchAttributes = fit(scratchAttributes, attributes.size());
    for (String attribute : attributes) {
      String word = PythonText.cleanWord(attribute);
      if (!word.isEmpty()) { // the original drops "" only when it writes captions
        scratchAttributes[attrs++] = idOf(word);
      }
    }
    // The groups whose shared sets this object's attributes join: those of known names, plus one
    // new group for all names seen here first (they all receive this object's `_attrs` set).
    scratchGroups = fit(scratchGroups, names);
    int touched = 0;
    int newGroup = -1;
    for (int n = 0; n < names; n++) {
      int name = scratchNames[n];
      ensureGroupCapacity(name);
      int group = groupOfName[name];
      if (group < 0) {
        if (newGroup < 0) {
          newGroup = groups++;
          scratchGroups[touched++] = newGroup;
        }
        groupOfName[name] = newGroup;
      } else if (!contains(scratchGroups, touched, group)) {
        scratchGroups[touched++] = group;
      }
    }
    for (int g = 0; g < touched; g++) {
      long group = (long) scratchGroups[g] << 32;
      for (int a = 0; a < attrs; a++) {
        groupAttributes.add(group | scratchAttributes[a]);
      }
    }
  }

  /** One element of an image's "relationships" list. */
  public void addRelationship(
      String predicate, List<String> subjectSynsets, List<String> objectSynsets) {
    int predicateId = idOf(PythonText.cleanWord(predicate));
    int subjects =
        distinctIds(subjectSynsets, scratchNames = fit(scratchNames, subjectSynsets.size()));
    int objects =
        distinctIds(objectSynsets, scratchObjects = fit(scratchObjects, objectSynsets.size()));
    for (int s = 0; s < subjects; s++) {
      for (int o = 0; o < objects; o++) {
        int subject = scratchNames[s];
        int object = scratchObjects[o];
        if (subject < TRIPLE_ID_LIMIT
            && predicateId < TRIPLE_ID_LIMIT
            && object < TRIPLE_ID_LIMIT) {
          relationships.add(
              ((long) subject << (2 * TRIPLE_ID_BITS))
                  | ((long) predicateId << TRIPLE_ID_BITS)
                  | object);
        } else {
          wideRelationships.add(relationshipCaption(subject, predicateId, object));
        }
      }
    }
  }

  /** Distinct cleaned words seen so far (names, attributes and predicates together). */
  public int vocabularySize() {
    return words.size();
  }

  /**
   * The unique captions sorted by code point: "{attr} {name}" for every non-empty attribute of
   * every name's set, and "{subject} {predicate} {object}" for every relationship.
   */
  public List<String> sortedCaptions() {
    int[][] namesByGroup = namesByGroup();
    long count = relationships.size() + (long) wideRelationships.size();
    long[] attributeCaptions = {0};
    groupAttributes.forEach(
        pair -> attributeCaptions[0] += namesByGroup[(int) (pair >>> 32)].length);
    count += attributeCaptions[0];
    if (count > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("too many captions for one list: " + count);
    }
    String[] captions = new String[(int) count];
    int[] next = {0};
    groupAttributes.forEach(
        pair -> {
          String attribute = words.get((int) pair);
          for (int name : namesByGroup[(int) (pair >>> 32)]) {
            captions[next[0]++] = attribute + " " + words.get(name);
          }
        });
    long idMask = TRIPLE_ID_LIMIT - 1;
    relationships.forEach(
        triple ->
            captions[next[0]++] =
                relationshipCaption(
                    (int) (triple >>> (2 * TRIPLE_ID_BITS)),
                    (int) ((triple >>> TRIPLE_ID_BITS) & idMask),
                    (int) (triple & idMask)));
    for (String caption : wideRelationships) {
      captions[next[0]++] = caption;
    }
    Arrays.parallelSort(captions, CodePointOrder.INSTANCE);
    int unique = 0;
    for (String caption : captions) {
      if (unique == 0 || !caption.equals(captions[unique - 1])) {
        captions[unique++] = caption;
      }
    }
    return Arrays.asList(captions).subList(0, unique);
  }

  private int[][] namesByGroup() {
    int[] sizes = new int[groups];
    int vocabulary = words.size();
    for (int word = 0; word < vocabulary && word < groupOfName.length; word++) {
      if (groupOfName[word] >= 0) {
        sizes[groupOfName[word]]++;
      }
    }
    int[][] names = new int[groups][];
    for (int g = 0; g < groups; g++) {
      names[g] = new int[sizes[g]];
    }
    int[] filled = new int[groups];
    for (int word = 0; word < vocabulary && word < groupOfName.length; word++) {
      int group = groupOfName[word];
      if (group >= 0) {
        names[group][filled[group]++] = word;
      }
    }
    return names;
  }

  private String relationshipCaption(int subject, int predicate, int object) {
    return words.get(subject) + " " + words.get(predicate) + " " + words.get(object);
  }

  /** Cleans each synset and stores the distinct ids in {@code into}; returns how many. */
  private int distinctIds(List<String> synsets, int[] into) {
    int count = 0;
    for (String synset : synsets) {
      int id = idOf(PythonText.cleanSynset(synset));
      if (!contains(into, count, id)) {
        into[count++] = id;
      }
    }
    return count;
  }

  private int idOf(String word) {
    Integer id = idByWord.get(word);
    if (id == null) {
      id = words.size();
      words.add(word);
      idByWord.put(word, id);
    }
    return id;
  }

  private void ensureGroupCapacity(int word) {
    if (word >= groupOfName.length) {
      int old = groupOfName.length;
      groupOfName = Arrays.copyOf(groupOfName, Math.max(word + 1, old * 2));
      Arrays.fill(groupOfName, old, groupOfName.length, -1);
    }
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  private static int[] fit(int[] scratch, int needed) {
    return scratch.length >= needed ? scratch : new int[Math.max(needed, scratch.length * 2)];
  }
}
