package dev.debuglab.emulator.sysreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cold reset copies a template ({@link SystemRegisters#copyResetState}) instead of walking the table: on any state,
 * it must leave every field — typed registers, banks, comparators, slots and the configuration — exactly as the table's
 * own reset ({@link SysRegTable#resetByTable}) does.
 */
class SysRegResetTest {
    /** Every instance field of {@code s} (long and long[]; private configuration included), named. */
    static String dump(SystemRegisters s) {
        StringBuilder b = new StringBuilder();
        for (java.lang.reflect.Field f : SystemRegisters.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            try {
                Object v = f.get(s);
                b.append(f.getName()).append('=').append(v instanceof long[] a ? Arrays.toString(a) : String.valueOf(v)).append('\n');
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return b.toString();
    }

    /** Every long and long[] field of {@code s} set to random values. */
    static void scribble(SystemRegisters s, SplittableRandom r) {
        for (java.lang.reflect.Field f : SystemRegisters.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            f.setAccessible(true);
            try {
                if (f.getType() == long.class) f.setLong(s, r.nextLong());
                else if (f.getType() == long[].class) {
                    long[] a = (long[]) f.get(s);
                    for (int i = 0; i < a.length; i++) a[i] = r.nextLong();
                } else throw new AssertionError("SystemRegisters." + f.getName() + " is a " + f.getType() + ": extend this test");
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void templateResetEqualsTheTableResetOnRandomStates() {
        SplittableRandom r = new SplittableRandom(0x5EED);
        for (int i = 0; i < 200; i++) {
            SystemRegisters a = new SystemRegisters(), b = new SystemRegisters();
            long seed = r.nextLong();
            scribble(a, new SplittableRandom(seed));
            scribble(b, new SplittableRandom(seed));
            if (i % 2 == 1) {
                a.configureDebug(2 + i % 15, 2 + i % 7, 1 + i % 2, i % 3 == 0);
                b.configureDebug(2 + i % 15, 2 + i % 7, 1 + i % 2, i % 3 == 0);
            }
            String before = dump(a);
            a.reset();
            SysRegTable.resetByTable(b);
            assertEquals(dump(b), dump(a), "seed " + seed);
            assertNotEquals(before, dump(a), "the reset changed nothing");
        }
    }

    @Test
    void aNewInstanceIsTheTableReset() {
        SystemRegisters fresh = new SystemRegisters(), byTable = new SystemRegisters();
        SysRegTable.resetByTable(byTable);
        assertEquals(dump(byTable), dump(fresh));
        assertEquals(0xA, fresh.oslsrEl1, "cold reset OSLSR_EL1 (OSLM = 0b10, OSLK = 1)");
    }
}
