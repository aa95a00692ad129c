package dev.debuglab.emulator.vmm;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The core registers at the end of a run ({@link VmmRun#registers}), as an unmodifiable map from name ("PC", "PSTATE",
 * "X0".."X30", "SP", "SP_EL1", "ELR_EL1", "SPSR_EL1", in that order) to value: one array of values behind a shared
 * name index, so that ending a run does not build and copy a hash map of boxed values. Equal to any map with the same
 * entries (AbstractMap's equals and hashCode).
 */
public final class CoreRegisters extends AbstractMap<String, Long> {
    static final String[] NAMES;
    private static final Map<String, Integer> INDEX;

    static {
        NAMES = new String[37];
        NAMES[0] = "PC";
        NAMES[1] = "PSTATE";
        for (int n = 0; n <= 30; n++) NAMES[2 + n] = "X" + n;
        NAMES[33] = "SP";
        NAMES[34] = "SP_EL1";
        NAMES[35] = "ELR_EL1";
        NAMES[36] = "SPSR_EL1";
        Map<String, Integer> m = new java.util.HashMap<>();
        for (int i = 0; i < NAMES.length; i++) m.put(NAMES[i], i);
        INDEX = Map.copyOf(m);
    }

    private final long[] values;

    /** {@code values} in the order of the names (taken over, not copied: the caller gives up the array). */
    CoreRegisters(long[] values) {
        if (values.length != NAMES.length) throw new IllegalArgumentException(values.length + " values for " + NAMES.length + " registers");
        this.values = values;
    }

    @Override
    public Long get(Object key) {
        Integer i = INDEX.get(key);
        return i == null ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return INDEX.containsKey(key);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Long>> iterator() {
                return new Iterator<>() {
                    int i;

                    @Override
                    public boolean hasNext() {
                        return i < values.length;
                    }

                    @Override
                    public Entry<String, Long> next() {
                        if (i >= values.length) throw new NoSuchElementException();
                        int k = i++;
                        return new SimpleImmutableEntry<>(NAMES[k], values[k]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }
}
