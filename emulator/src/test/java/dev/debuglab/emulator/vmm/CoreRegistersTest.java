package dev.debuglab.emulator.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.kvm.KvmVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's final registers (CoreRegisters) are the map coreRegisters() reads through ONE_REG: equal, same order, unmodifiable. */
class CoreRegistersTest {
    @Test
    void theRunsRegistersAreCoreRegistersReadThroughOneReg() {
        QemuVmm v = new QemuVmm(KvmVersion.of("6.1"));
        v.load(Assembler.assemble(0x4000_0000L, "mov x3, #7\n mov x30, #9\n movz x0, #0x8400, lsl #16\n movk x0, #8\n hvc #0\n"));
        VmmRun r = v.run();
        assertEquals(VmmRun.Outcome.SYSTEM_OFF, r.outcome());
        Map<String, Long> expected = v.coreRegisters();
        assertEquals(expected, r.registers());
        assertEquals(r.registers(), expected);
        assertEquals(expected.hashCode(), r.registers().hashCode());
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(r.registers().keySet()), "the order of coreRegisters()");
        assertEquals(7L, r.x(3));
        assertEquals(9L, r.registers().get("X30"));
        assertEquals(expected.get("PC"), r.pc());
        assertNull(r.registers().get("X31"));
        assertFalse(r.registers().containsKey("pc"));
        assertThrows(UnsupportedOperationException.class, () -> r.registers().put("PC", 0L));
        assertThrows(UnsupportedOperationException.class, () -> r.registers().entrySet().iterator().next().setValue(1L));
        assertEquals(expected.toString(), r.registers().toString());
        v.release();
    }

    @Test
    void anotherMapIsCopied() {
        Map<String, Long> m = new LinkedHashMap<>(Map.of("PC", 1L));
        VmmRun r = new VmmRun(VmmRun.Outcome.STOPPED, "", List.of(), List.of(), "", m, 0, "6.1", "QEMU", null);
        m.put("PC", 2L);
        assertEquals(1L, r.pc());
    }
}
