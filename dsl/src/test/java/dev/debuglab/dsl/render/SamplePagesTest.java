package dev.debuglab.dsl.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.debuglab.dsl.Comparison;
import dev.debuglab.dsl.Guest;
import dev.debuglab.dsl.Lab;
import dev.debuglab.dsl.LabRun;
import dev.debuglab.dsl.Sweep;
import dev.debuglab.dsl.SweepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writes one page per kind of picture, from runs the DSL really makes, under the build folder's
 * {@code render-samples/} (or {@code -Ddebuglab.samples=DIR}), for people to open and for the
 * screenshots of docs/rendering.md.
 */
class SamplePagesTest {

    /** The seed's problem (a): QEMU re-injects a userspace watchpoint the guest (holding its OS Lock) never armed. */
    static LabRun watchpointReinjected() {
        // QEMU watches 8 bytes at `slot`; the guest's store to slot + 4 is inside them, but QEMU's ownership check looks at the
        // first watched byte only (vmm.md §1), so it injects the exit into the guest.
        Guest g = Lab.guest().osLock(true).logSysreg(2, "oslsr_el1").mov("x0", 0x77).asm("adr x1, slot").label("store")
                .asm("str w0, [x1, #4]").data("slot", 0, 0).build();
        // The guest's handler returns to the store, which hits again: QEMU loops until the model stops it; the budget
        // keeps the picture to the first round.
        return g.kvm("6.1").qemu().watchpoint("slot", 8, "write").budget(60).run();
    }

    /** The guest arms its own breakpoint while holding the OS Lock: 5.15 (OS Lock RAZ/WI) lets it fire, the architecture does not. */
    static LabRun guestBreakpointUnderTheLockOn515() {
        return Lab.guest().osLock(true).hwBreakpoint(0).at("t").kde(true).mde(true).clearD().label("t").nop().build().kvm("5.15").qemu().run();
    }

    /** BRK #0x42 under the OS Lock: the v2 patch consumes it. */
    static Guest brkUnderTheLock() {
        return Lab.guest().osLock(true).label("hit").brk(0x42).build();
    }

    static LabRun bareMetalEl0() {
        return Lab.guest().osLock(true).hwBreakpoint(0).at("t").kde(true).mde(true).clearD().label("t").nop()
                .el0(c -> c.brk(0x7)).build().bareMetal().run();
    }

    static SweepResult sweep() {
        return Lab.sweep().oslk(false, true).kde(false, true).events(Sweep.Event.BRK, Sweep.Event.HW_BREAKPOINT)
                .versions("bare", "5.15", "v2", "6.1", "6.14").run();
    }

    @Test
    void writesSamplePages() throws IOException, java.net.URISyntaxException {
        Path dir = System.getProperty("debuglab.samples") != null ? Path.of(System.getProperty("debuglab.samples"))
                : Path.of(SamplePagesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().resolve("render-samples");
        Files.createDirectories(dir);
        LabRun wp = watchpointReinjected();
        LabRun v2 = brkUnderTheLock().kvm("v2").qemu().run();
        Comparison cmp = brkUnderTheLock().compareAcross("v2", "6.1");
        SweepResult sw = sweep();
        write(dir.resolve("run-swimlanes.html"), HtmlRenderer.page("run", List.of(SvgRenderer.render(guestBreakpointUnderTheLockOn515()))));
        write(dir.resolve("run-injection.html"), HtmlRenderer.page("run", List.of(SvgRenderer.render(wp))));
        write(dir.resolve("run-missing.html"), HtmlRenderer.page("run", List.of(SvgRenderer.render(v2))));
        write(dir.resolve("bare-metal.html"), HtmlRenderer.page("bare metal", List.of(SvgRenderer.render(bareMetalEl0()))));
        write(dir.resolve("comparison.html"), HtmlRenderer.page("comparison", List.of(SvgRenderer.render(cmp))));
        write(dir.resolve("sweep.html"), HtmlRenderer.page("sweep", List.of(SvgRenderer.render(sw))));
        write(dir.resolve("run-html.html"), HtmlRenderer.page("run", List.of(HtmlRenderer.render(wp))));
        write(dir.resolve("comparison-html.html"), HtmlRenderer.page("comparison", List.of(HtmlRenderer.render(cmp))));
        write(dir.resolve("sweep-html.html"), HtmlRenderer.page("sweep", List.of(HtmlRenderer.render(sw))));
        write(dir.resolve("run.txt"), TextRenderer.render(wp) + "\n\n" + TextRenderer.render(v2) + "\n\n" + TextRenderer.render(cmp) + "\n\n"
                + TextRenderer.render(sw));
        write(dir.resolve("run.json"), TraceJson.write(wp));
        // The fixtures too (hand-built, with a hidden MMIO round trip and a not-generated note).
        write(dir.resolve("fixture-run.html"), HtmlRenderer.page("fixture", List.of(SvgRenderer.render(RenderFixtures.watchpointReinjected()))));
        write(dir.resolve("fixture-sweep.html"), HtmlRenderer.page("fixture", List.of(SvgRenderer.render(RenderFixtures.sweep()))));
        assertTrue(Files.size(dir.resolve("run-swimlanes.html")) > 1000);
    }

    private static void write(Path p, String s) throws IOException {
        Files.writeString(p, s);
    }
}
