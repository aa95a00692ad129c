package dev.debuglab.emulator.arch;

import dev.debuglab.emulator.cpu.Cpu;
import dev.debuglab.emulator.cpu.Interpreter;
import dev.debuglab.emulator.mem.PhysicalMemory;

/** A fresh PE for the table tests: RAM at 0x4000_0000, vectors at distinct bases, cold reset. */
final class ArchTables {
    private ArchTables() {}

    static final long RAM = 0x4000_0000L, VBAR_EL1 = 0x4000_1000L, VBAR_EL2 = 0x4000_2000L, CODE = 0x4000_8000L;

    static Cpu cpuAt(int el) {
        Cpu cpu = new Cpu(new PhysicalMemory(RAM, 1 << 20));
        cpu.sys.vbar[1] = VBAR_EL1;
        cpu.sys.vbar[2] = VBAR_EL2;
        cpu.el = el;
        cpu.spSel = el == 0 ? 0 : 1;
        cpu.pc = CODE;
        Debug.refresh(cpu);
        return cpu;
    }

    /** Executes one instruction word at cpu.pc through the real predecoder and execute routine. */
    static void exec(Cpu cpu, int word) {
        Interpreter.executeWord(cpu, word);
    }
}
