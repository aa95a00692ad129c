package dev.debuglab.emulator.verdict;

import dev.debuglab.emulator.guest.GuestLog;
import dev.debuglab.emulator.guest.StandardVectors;
import dev.debuglab.emulator.isa.Assembler;
import dev.debuglab.emulator.isa.Program;
import dev.debuglab.emulator.machine.ElfImage;
import dev.debuglab.emulator.machine.VirtMachine;
import dev.debuglab.emulator.vmm.GuestImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference side of a verdict: the same guest on bare hardware, without a hypervisor. The virt
 * machine starts the image at EL1h (D, A, I, F masked, as KVM's vCPU reset), SP_EL1 as the VMM would
 * set it, the {@link GuestLog} port mapped as a device next to the PL011, and the
 * {@link StandardVectors#EL2_EXIT_STUB} behind VBAR_EL2, so the guest's PSCI SYSTEM_OFF (HVC) ends
 * the run. If the image has no {@code el2_vectors} label, the stub is assembled at
 * {@link #STUB_ADDRESS}. Everything else is the architecture at cold reset — in particular the OS
 * Lock is locked (OSLSR_EL1 = 0xA) until the guest writes OSLAR_EL1, unlike KVM's warm-reset 0x8.
 */
public final class BareMetal {
    private BareMetal() {}

    /** RAM of the reference machine: 8 MiB, as the VMMs' default VM. */
    public static final int RAM_SIZE = 8 << 20;
    /** Where the EL2 exit stub goes when the guest does not bring its own (the last 64 KiB of RAM). */
    public static final long STUB_ADDRESS = GuestImage.RAM_BASE + RAM_SIZE - 0x1_0000L;
    /** Default instruction budget of a reference run. */
    public static final long DEFAULT_BUDGET = 10_000_000L;

    /**
     * What the guest observed on bare metal.
     *
     * @param outcome      how the run ended
     * @param observations the guest's log (exceptions at its vectors, values it read)
     * @param console      the PL011 output
     * @param instructions instructions executed
     * @param message      why it stopped (one line)
     */
    public record Result(VirtMachine.Outcome outcome, List<GuestLog.Entry> observations, String console,
                         long instructions, String message) {
        public boolean completed() {
            return outcome == VirtMachine.Outcome.EXITED;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("bare metal: " + outcome + " after " + instructions + " instructions");
            if (message != null && outcome != VirtMachine.Outcome.EXITED) b.append(" (").append(message).append(')');
            for (GuestLog.Entry e : observations) b.append("\n  ").append(e);
            return b.toString();
        }
    }

    public static Result run(Program p) {
        return run(GuestImage.of(p), DEFAULT_BUDGET);
    }

    public static Result run(GuestImage guest) {
        return run(guest, DEFAULT_BUDGET);
    }

    /** Runs {@code guest} at EL1 until SYSTEM_OFF or {@code budget} instructions. */
    public static Result run(GuestImage guest, long budget) {
        if (budget <= 0) throw new IllegalArgumentException("budget " + budget + " is not positive; give the number of instructions the guest may run");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        VirtMachine m = new VirtMachine(RAM_SIZE, console, new ByteArrayOutputStream());
        GuestLog log = new GuestLog();
        m.mem.map(GuestLog.BASE, GuestLog.SIZE, log);
        List<ElfImage.Segment> segments = new ArrayList<>(guest.image().segments());
        Long stub = guest.symbols().get("el2_vectors");
        if (stub == null) {
            Program s = Assembler.assemble(STUB_ADDRESS, StandardVectors.EL2_EXIT_STUB);
            segments.add(new ElfImage.Segment(STUB_ADDRESS, s.bytes()));
            stub = s.symbol("el2_vectors");
        }
        m.load(new ElfImage(guest.entry(), segments));
        m.reset(VirtMachine.Start.EL1);
        m.cpu.sp[1] = guest.stackPointer();
        // VBAR_EL2 is not accessible from EL1: the runner installs the exit stub, as firmware would.
        m.cpu.sys.vbar[2] = stub;
        VirtMachine.Result r = m.run(budget);
        return new Result(r.outcome(), log.entries(), console.toString(StandardCharsets.UTF_8), r.instructions(), r.message());
    }
}
