package dev.debuglab.emulator.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.machine.VirtMachine;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The standard guest runtime on bare metal (the virt machine started at EL1, the log port mapped
 * as a device, the EL2 stub ending the run): each handler logs what the guest saw and returns as
 * documented.
 */
class StandardVectorsTest {
    static final long BASE = VirtMachine.RAM_BASE;

    record Run(VirtMachine.Result result, GuestLog log, Program program) {}

    static Run runAtEl1(String body) {
        String src = GuestKit.standardGuest(body) + StandardVectors.EL2_EXIT_STUB;
        Program p = Assembler.assemble(BASE, src);
        VirtMachine m = new VirtMachine(new ByteArrayOutputStream(), new ByteArrayOutputStream());
        GuestLog log = new GuestLog();
        m.mem.map(GuestLog.BASE, GuestLog.SIZE, log);
        m.load(new ElfImage(BASE, List.of(new ElfImage.Segment(BASE, p.bytes()))));
        // VBAR_EL2 is not accessible from EL1: the runner installs the exit stub.
        m.reset(VirtMachine.Start.EL1);
        m.cpu.sys.vbar[2] = p.symbol("el2_vectors");
        return new Run(m.run(1_000_000), log, p);
    }

    @Test
    void brkIsLoggedAndSkipped() {
        Run r = runAtEl1("""
                        brk     #0x42
                        mov     x5, #7
                """ + StandardVectors.logValue(3, "x5"));
        assertEquals(VirtMachine.Outcome.EXITED, r.result.outcome(), r.result.message());
        var e = r.log.exceptions();
        assertEquals(1, e.size(), r.log.entries().toString());
        assertEquals(0xF2000042L, e.get(0).esr());
        assertEquals(0x200, e.get(0).vector());
        assertEquals(List.of(7L), r.log.values(3));
    }
}
