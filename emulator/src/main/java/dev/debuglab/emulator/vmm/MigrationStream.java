package dev.debuglab.emulator.vmm;

import dev.debuglab.emulator.kvm.RegId;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What QEMU's migration stream carries for one arm64 vCPU and its RAM (vmm.md §3.1): the cpreg
 * arrays — {@code cpreg_vmstate_array_len}, the sorted ids (the source kernel's KVM_GET_REG_LIST
 * without core registers) and their values — the core registers, and guest RAM (pages that are not
 * all zero, as QEMU sends zero pages as a flag). Immutable.
 *
 * @param sourceVersion the source kernel's name
 * @param ids           sorted ascending
 * @param values        {@code values[i]} belongs to {@code ids[i]}
 * @param core          core register id → value
 * @param pages         page IPA → 4 KiB of RAM (non-zero pages only)
 */
public record MigrationStream(String sourceVersion, long[] ids, long[] values, Map<Long, Long> core, Map<Long, byte[]> pages) {
    public static final int PAGE = 4096;

    public MigrationStream {
        ids = ids.clone();
        values = values.clone();
        core = Collections.unmodifiableMap(new LinkedHashMap<>(core));
        Map<Long, byte[]> p = new TreeMap<>();
        pages.forEach((k, v) -> p.put(k, v.clone()));
        pages = Collections.unmodifiableMap(p);
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    @Override
    public long[] values() {
        return values.clone();
    }

    /** {@code cpreg_vmstate_array_len}. */
    public int length() {
        return ids.length;
    }

    /** True if the stream carries the system register (by Arm name, e.g. "OSLSR_EL1"). */
    public boolean carries(String name) {
        long id = RegId.sys(name);
        return Arrays.stream(ids).anyMatch(i -> i == id);
    }

    /** The value the stream carries for a system register; null if absent. */
    public Long value(String name) {
        long id = RegId.sys(name);
        for (int i = 0; i < ids.length; i++) if (ids[i] == id) return values[i];
        return null;
    }

    /** A copy with one register's value replaced (to model a bad or hand-edited stream, MIG-61-BADVAL). */
    public MigrationStream withValue(String name, long value) {
        long id = RegId.sys(name);
        long[] v = values.clone();
        boolean found = false;
        for (int i = 0; i < ids.length; i++)
            if (ids[i] == id) {
                v[i] = value;
                found = true;
            }
        if (!found) throw new IllegalArgumentException(name + " is not in the stream (the source kernel " + sourceVersion
                + " does not list it); streams carry only what KVM_GET_REG_LIST gave");
        return new MigrationStream(sourceVersion, ids, v, core, pages);
    }

    @Override
    public String toString() {
        return String.format("migration stream from KVM %s: cpreg_vmstate_array_len %d%s, %d core registers, %d RAM pages",
                sourceVersion, ids.length, carries("OSLSR_EL1") ? String.format(" (OSLSR_EL1 = 0x%X)", value("OSLSR_EL1")) : " (no OSLSR_EL1)",
                core.size(), pages.size());
    }
}
